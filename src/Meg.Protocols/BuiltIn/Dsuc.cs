using Meg.Protocols.Plans;

namespace Meg.Protocols.BuiltIn;

/// <summary>K edge servers each generate their share and send sketches; the UE completes every sketch.</summary>
public sealed class Dsuc() : ProtocolDefinition("DSUC", "distributed sketching, UE completing", true)
{
    public override ProtocolPlan Build(PlanParameters parameters)
    {
        var k = parameters.EdgeServers;
        var images = parameters.ImagesPerRequest > 0 ? parameters.ImagesPerRequest : k;
        var b = new PlanBuilder(parameters, k, images);
        var ue = PlanBuilder.Ue;
        var r = parameters.SketchSide;
        var j = parameters.CompletionStartStep;
        foreach (var es in Uidg.Servers(k).Where(es => b.SharesOf(es).Any()))
        {
            b.UploadRequest(es).Add(Stage.Text(es)).Add(Stage.Encode(es));
            foreach (var s in b.SharesOf(es))
            {
                b.Denoise(es, b.Start, b.N, s)
                    .Add(Stage.Decode(es, s))
                    .Add(Stage.Sketch(es, s, r))
                    .Send(es, ue, Artifact.SketchOf(s, r));
            }
        }

        for (var s = 0; s < images; s++)
        {
            b.Add(Stage.Complete(ue, s, r, j, useInput: true));
        }

        return b.Build(Name, $"each of {k} ESs: T, E, D, V, S{r} for its images; DL sketches; UE: C on each");
    }
}
