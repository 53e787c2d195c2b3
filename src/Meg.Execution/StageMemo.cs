using Meg.Protocols.Plans;

namespace Meg.Execution;

/// <summary>
/// The stages one request's prefixes computed, shared between plans: a stage whose node holds exactly what an earlier
/// stage of the same kind (of any plan) found there writes exactly what that one wrote, so it takes its result and its
/// time. Centralized, EIUG and ESUC all start with the edge server's T, E and D on the same uplinked sketch.
/// </summary>
public sealed class StageMemo(GenerationRequest request)
{
    private readonly List<Entry> _entries = [];

    /// <summary>The request every stage here ran for: a stage reads its settings beside the node's memory.</summary>
    public GenerationRequest Request { get; } = request;

    /// <summary>How many stages took an earlier stage's result.</summary>
    public int Hits { get; private set; }

    internal bool TryGet(Stage stage, ProtocolPlan plan, bool robustDecoder, NodeMemorySnapshot before, out NodeMemorySnapshot after, out TimeSpan time)
    {
        foreach (var entry in _entries)
        {
            if (entry.Stage == stage && entry.TotalSteps == plan.TotalSteps && entry.StartStep == plan.StartStep
                && entry.RobustDecoder == robustDecoder && entry.Before.SameContent(before))
            {
                (after, time) = (entry.After, entry.Time);
                Hits++;
                return true;
            }
        }

        (after, time) = (before, TimeSpan.Zero);
        return false;
    }

    internal void Add(Stage stage, ProtocolPlan plan, bool robustDecoder, NodeMemorySnapshot before, NodeMemorySnapshot after, TimeSpan time) =>
        _entries.Add(new Entry(stage, plan.TotalSteps, plan.StartStep, robustDecoder, before, after, time));

    private sealed record Entry(Stage Stage, int TotalSteps, int StartStep, bool RobustDecoder, NodeMemorySnapshot Before, NodeMemorySnapshot After, TimeSpan Time);
}
