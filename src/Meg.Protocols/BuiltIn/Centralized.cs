using Meg.Protocols.Plans;

namespace Meg.Protocols.BuiltIn;

/// <summary>The baseline: the ES does everything and sends the final RGB image down.</summary>
public sealed class Centralized() : ProtocolDefinition("Centralized", "all at the edge server (baseline)", false)
{
    public override ProtocolPlan Build(PlanParameters parameters)
    {
        var images = Math.Max(1, parameters.ImagesPerRequest);
        var b = new PlanBuilder(parameters, 1, images);
        var es = NodeId.EdgeServer(1);
        b.UploadRequest(es).Add(Stage.Text(es)).Add(Stage.Encode(es));
        for (var s = 0; s < images; s++)
        {
            b.Denoise(es, b.Start, b.N, s).Add(Stage.Decode(es, s)).Send(es, PlanBuilder.Ue, Artifact.ImageOf(s));
        }

        return b.Build(Name, "UL prompt + input image; ES: T, E, D, V; DL final image");
    }
}
