using Meg.Protocols.Plans;

namespace Meg.Protocols.BuiltIn;

/// <summary>The UE encodes once and sends the seed to K edge servers, which generate the request's images
/// in parallel (image i on ES (i mod K)+1) and send them down.</summary>
public sealed class Uidg() : ProtocolDefinition("UIDG", "UE inferencing, distributed generating", true)
{
    public override ProtocolPlan Build(PlanParameters parameters)
    {
        var k = parameters.EdgeServers;
        var images = parameters.ImagesPerRequest > 0 ? parameters.ImagesPerRequest : k;
        var b = new PlanBuilder(parameters, k, images);
        var ue = PlanBuilder.Ue;
        b.Add(Stage.Encode(ue));
        foreach (var es in Servers(k))
        {
            if (!b.SharesOf(es).Any())
            {
                continue;
            }

            b.Send(ue, es, Artifact.Prompt).SendSeed(ue, es, b.Start, 0).Add(Stage.Text(es));
            foreach (var s in b.SharesOf(es))
            {
                b.Denoise(es, b.Start, b.N, s).Add(Stage.Decode(es, s)).Send(es, ue, Artifact.ImageOf(s));
            }
        }

        return b.Build(Name, $"UE: E; UL seed to {k} ESs; each ES: T, D, V for its images; DL images");
    }

    internal static IEnumerable<NodeId> Servers(int k) => Enumerable.Range(1, k).Select(NodeId.EdgeServer);
}
