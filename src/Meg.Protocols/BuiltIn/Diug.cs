using Meg.Protocols.Plans;

namespace Meg.Protocols.BuiltIn;

/// <summary>K edge servers each denoise their share of the images and send the final latents; the UE decodes.</summary>
public sealed class Diug() : ProtocolDefinition("DIUG", "distributed inferencing, UE generating", true)
{
    public override ProtocolPlan Build(PlanParameters parameters)
    {
        var k = parameters.EdgeServers;
        var images = parameters.ImagesPerRequest > 0 ? parameters.ImagesPerRequest : k;
        var b = new PlanBuilder(parameters, k, images);
        var ue = PlanBuilder.Ue;
        foreach (var es in Uidg.Servers(k).Where(es => b.SharesOf(es).Any()))
        {
            b.UploadRequest(es).Add(Stage.Text(es)).Add(Stage.Encode(es));
            foreach (var s in b.SharesOf(es))
            {
                b.Denoise(es, b.Start, b.N, s).Send(es, ue, Artifact.LatentAt(b.N, s)).Add(Stage.Decode(ue, s));
            }
        }

        return b.Build(Name, $"UL request to {k} ESs; each ES: T, E, D for its images; DL seeds; UE: V on each");
    }
}
