using Meg.Protocols.Plans;

namespace Meg.Protocols.BuiltIn;

/// <summary>K edge servers form a pipeline of denoising stages, handing the seed over the backhaul;
/// the last one decodes and sends the image.</summary>
public sealed class Uidcg() : ProtocolDefinition("UIDCG", "UE inferencing, distributed cooperative generating", true)
{
    public override ProtocolPlan Build(PlanParameters parameters)
    {
        var k = parameters.EdgeServers;
        var images = Math.Max(1, parameters.ImagesPerRequest);
        var b = new PlanBuilder(parameters, k, images);
        var ue = PlanBuilder.Ue;
        var bounds = SplitEvenly(b.Start, b.N, k);
        var first = NodeId.EdgeServer(1);
        b.Add(Stage.Encode(ue)).Send(ue, first, Artifact.Prompt).SendSeed(ue, first, b.Start, 0);
        for (var i = 1; i <= k; i++)
        {
            var es = NodeId.EdgeServer(i);
            b.Add(Stage.Text(es));
            for (var s = 0; s < images; s++)
            {
                b.Denoise(es, bounds[i - 1], bounds[i], s);
            }

            if (i < k)
            {
                var next = NodeId.EdgeServer(i + 1);
                b.Send(es, next, Artifact.Prompt);
                for (var s = 0; s < images; s++)
                {
                    b.SendSeed(es, next, bounds[i], s, receiverHasInputLatent: s > 0);
                }
            }
        }

        var last = NodeId.EdgeServer(k);
        for (var s = 0; s < images; s++)
        {
            b.Add(Stage.Decode(last, s)).Send(last, ue, Artifact.ImageOf(s));
        }

        var ranges = string.Join(", ", Enumerable.Range(1, k).Select(i => $"ES{i}: D[{bounds[i - 1]},{bounds[i]})"));
        return b.Build(Name, $"UE: E; UL seed to ES1; {ranges} with BH seeds; ES{k}: V; DL image");
    }

    /// <summary>Boundaries start = b0 &lt; b1 &lt; ... &lt; bK = N splitting the steps as evenly as possible.</summary>
    internal static int[] SplitEvenly(int start, int end, int parts)
    {
        if (end - start < parts)
        {
            throw new ArgumentException(
                $"EdgeServers must be at most the number of denoising steps ({end - start}) to give each server one; got {parts}.",
                nameof(PlanParameters.EdgeServers));
        }

        return Enumerable.Range(0, parts + 1).Select(i => start + (int)Math.Round((double)(end - start) * i / parts)).ToArray();
    }
}
