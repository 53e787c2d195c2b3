using Meg.Protocols.Plans;

namespace Meg.Execution;

/// <summary>
/// A plan run up to its first noisy transfer, with what every node held after each of those steps and how long each
/// step took. Every draw is seeded, so these steps compute the same at every SNR: a sweep computes the prefix once per
/// (plan, request) and resumes the plan from it (<see cref="PlanExecutor.Resume"/>) for every SNR and decoder.
/// </summary>
public sealed class PlanPrefix
{
    internal PlanPrefix(ProtocolPlan plan, GenerationRequest request, bool robustDecoder, IReadOnlyList<PrefixStep> steps) =>
        (Plan, Request, RobustDecoder, Steps) = (plan, request, robustDecoder, steps);

    public ProtocolPlan Plan { get; }

    public GenerationRequest Request { get; }

    /// <summary>The decoder the prefix's decode stages (if any) ran with: a resumed run with the other one redoes them.</summary>
    public bool RobustDecoder { get; }

    /// <summary>The number of plan steps the prefix covers.</summary>
    public int Length => Steps.Count;

    internal IReadOnlyList<PrefixStep> Steps { get; }

    /// <summary>The index of the first transfer that carries a payload (not the prompt) over one of
    /// <paramref name="noisyLinks"/>, or the plan's step count when there is none: the steps before it form the prefix.</summary>
    public static int LengthOf(ProtocolPlan plan, IReadOnlySet<LinkKind> noisyLinks)
    {
        for (var i = 0; i < plan.Steps.Count; i++)
        {
            if (plan.Steps[i] is Transfer t && noisyLinks.Contains(t.Link) && t.Artifacts.Any(a => a.Kind != ArtifactKind.Prompt))
            {
                return i;
            }
        }

        return plan.Steps.Count;
    }
}

/// <summary>One prefix step: what every node held after it, and how long it took.</summary>
internal sealed record PrefixStep(IReadOnlyDictionary<NodeId, NodeMemorySnapshot> After, TimeSpan Time);
