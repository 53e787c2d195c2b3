using Meg.Protocols.Plans;

namespace Meg.Protocols.BuiltIn;

/// <summary>The UE encodes (and optionally denoises a few steps); the ES finishes and sends the image.</summary>
public sealed class Uieg() : ProtocolDefinition("UIEG", "UE inferencing, ES generating", false)
{
    public override ProtocolPlan Build(PlanParameters parameters)
    {
        var images = Math.Max(1, parameters.ImagesPerRequest);
        var b = new PlanBuilder(parameters, 1, images);
        var es = NodeId.EdgeServer(1);
        var ue = PlanBuilder.Ue;
        var k = b.Start + parameters.UserStepsBeforeUplink;
        b.Add(Stage.Encode(ue));
        if (k > b.Start)
        {
            b.Add(Stage.Text(ue));
        }

        b.Send(ue, es, Artifact.Prompt);
        if (k == b.Start)
        {
            // Nothing denoised yet: the seed is the encoded input, shared by every image.
            b.SendSeed(ue, es, b.Start, 0);
        }

        b.Add(Stage.Text(es));
        for (var s = 0; s < images; s++)
        {
            if (k > b.Start)
            {
                b.Denoise(ue, b.Start, k, s).SendSeed(ue, es, k, s, receiverHasInputLatent: s > 0);
            }

            b.Denoise(es, k, b.N, s).Add(Stage.Decode(es, s)).Send(es, ue, Artifact.ImageOf(s));
        }

        return b.Build(Name, $"UE: E{(k > b.Start ? $", T, D[{b.Start},{k})" : "")}; UL seed; ES: T, D[{k},{b.N}), V; DL image");
    }
}
