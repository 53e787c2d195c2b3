using Meg.Protocols.Plans;

namespace Meg.Protocols.BuiltIn;

/// <summary>The ES denoises everything and sends the final latent; the UE decodes it.</summary>
public sealed class Eiug() : ProtocolDefinition("EIUG", "ES inferencing, UE generating", false)
{
    public override ProtocolPlan Build(PlanParameters parameters)
    {
        var images = Math.Max(1, parameters.ImagesPerRequest);
        var b = new PlanBuilder(parameters, 1, images);
        var es = NodeId.EdgeServer(1);
        var ue = PlanBuilder.Ue;
        b.UploadRequest(es).Add(Stage.Text(es)).Add(Stage.Encode(es));
        for (var s = 0; s < images; s++)
        {
            // The final latent is only decoded, so no condition travels with it.
            b.Denoise(es, b.Start, b.N, s).Send(es, ue, Artifact.LatentAt(b.N, s)).Add(Stage.Decode(ue, s));
        }

        return b.Build(Name, "UL prompt + input image; ES: T, E, D; DL final latent; UE: V");
    }
}
