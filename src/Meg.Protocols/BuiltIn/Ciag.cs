using Meg.Protocols.Plans;

namespace Meg.Protocols.BuiltIn;

/// <summary>UE starts denoising, the ES continues, the UE finishes and decodes: two seeds cross the air.</summary>
public sealed class Ciag() : ProtocolDefinition("CIAG", "collaborative inferencing and generating", false)
{
    public override ProtocolPlan Build(PlanParameters parameters)
    {
        var images = Math.Max(1, parameters.ImagesPerRequest);
        var b = new PlanBuilder(parameters, 1, images);
        var es = NodeId.EdgeServer(1);
        var ue = PlanBuilder.Ue;
        var steps = b.N - b.Start;
        if (steps < 3)
        {
            // The UE, the ES and the UE again each denoise at least one step.
            throw new ArgumentException($"CIAG needs at least 3 denoising steps (the UE, the ES, then the UE again each take one); got {steps}.",
                nameof(PlanParameters.TotalSteps));
        }

        var k = b.Start + Math.Clamp((int)Math.Round(steps * parameters.CiagUserShareBefore), 1, steps - 2);
        var m = Math.Clamp(k + (int)Math.Round(steps * parameters.CiagEdgeShare), k + 1, b.N - 1);
        b.Add(Stage.Text(ue)).Add(Stage.Encode(ue)).Send(ue, es, Artifact.Prompt).Add(Stage.Text(es));
        for (var s = 0; s < images; s++)
        {
            b.Denoise(ue, b.Start, k, s)
                .SendSeed(ue, es, k, s, receiverHasInputLatent: s > 0)
                .Denoise(es, k, m, s)
                .SendSeed(es, ue, m, s, receiverHasInputLatent: true)
                .Denoise(ue, m, b.N, s)
                .Add(Stage.Decode(ue, s));
        }

        return b.Build(Name, $"UE: T, E, D[{b.Start},{k}); UL seed; ES: D[{k},{m}); DL seed; UE: D[{m},{b.N}), V");
    }
}
