using Meg.Protocols.Plans;

namespace Meg.Protocols.BuiltIn;

/// <summary>The ES generates and sends a low-resolution sketch; the UE completes it by image-to-image.</summary>
public sealed class Esuc() : ProtocolDefinition("ESUC", "ES sketching, UE completing", false)
{
    public override ProtocolPlan Build(PlanParameters parameters)
    {
        var images = Math.Max(1, parameters.ImagesPerRequest);
        var b = new PlanBuilder(parameters, 1, images);
        var es = NodeId.EdgeServer(1);
        var ue = PlanBuilder.Ue;
        var r = parameters.SketchSide;
        var j = parameters.CompletionStartStep;
        b.UploadRequest(es).Add(Stage.Text(es)).Add(Stage.Encode(es));
        for (var s = 0; s < images; s++)
        {
            b.Denoise(es, b.Start, b.N, s)
                .Add(Stage.Decode(es, s))
                .Add(Stage.Sketch(es, s, r))
                .Send(es, ue, Artifact.SketchOf(s, r))
                .Add(Stage.Complete(ue, s, r, j, useInput: true));
        }

        return b.Build(Name, $"UL prompt + input image; ES: T, E, D, V, S{r}; DL sketch; UE: C (T, E, D[{j},{b.N}), V)");
    }
}
