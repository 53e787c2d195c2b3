using Meg.Protocols.Plans;

namespace Meg.Protocols.BuiltIn;

/// <summary>ES1 makes a coarse sketch; each next ES completes it and makes a finer one (over the backhaul);
/// the last sketch goes down and the UE completes it.</summary>
public sealed class Dcsuc() : ProtocolDefinition("DCSUC", "distributed cooperative sketching, UE completing", true)
{
    public override ProtocolPlan Build(PlanParameters parameters)
    {
        var k = parameters.EdgeServers;
        var images = Math.Max(1, parameters.ImagesPerRequest);
        var b = new PlanBuilder(parameters, k, images);
        var ue = PlanBuilder.Ue;
        var j = parameters.CompletionStartStep;
        var sides = SketchSides(parameters.SketchSide, k);
        var first = NodeId.EdgeServer(1);
        b.UploadRequest(first).Add(Stage.Text(first)).Add(Stage.Encode(first));
        for (var s = 0; s < images; s++)
        {
            b.Denoise(first, b.Start, b.N, s).Add(Stage.Decode(first, s)).Add(Stage.Sketch(first, s, sides[0]));
        }

        for (var i = 2; i <= k; i++)
        {
            var from = NodeId.EdgeServer(i - 1);
            var es = NodeId.EdgeServer(i);
            b.Send(from, es, Artifact.Prompt);
            for (var s = 0; s < images; s++)
            {
                // Later servers never saw the user's input image: they complete from the sketch and the text.
                b.Send(from, es, Artifact.SketchOf(s, sides[i - 2]))
                    .Add(Stage.Complete(es, s, sides[i - 2], j, useInput: false))
                    .Add(Stage.Sketch(es, s, sides[i - 1]));
            }
        }

        var last = NodeId.EdgeServer(k);
        for (var s = 0; s < images; s++)
        {
            b.Send(last, ue, Artifact.SketchOf(s, sides[k - 1])).Add(Stage.Complete(ue, s, sides[k - 1], j, useInput: true));
        }

        return b.Build(Name, $"ES1: T, E, D, V, S{sides[0]}; BH sketches refined to {string.Join("->", sides)}px; DL sketch; UE: C");
    }

    /// <summary>Each server's sketch is twice as fine as the one before; the last is the requested side.</summary>
    internal static int[] SketchSides(int finalSide, int servers) =>
        Enumerable.Range(0, servers).Select(i => Math.Max(2, finalSide >> (servers - 1 - i))).ToArray();
}
