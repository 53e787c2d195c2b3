using Meg.Protocols.Plans;

namespace Meg.Protocols.Costs;

/// <summary>The model evaluations a plan places on one node.</summary>
public sealed record NodeWork(
    NodeId Node,
    int TextEncoderRuns,
    int VaeEncoderRuns,
    int UnetEvaluations,
    int VaeDecoderRuns,
    IReadOnlyList<Stage> Stages)
{
    public bool IsIdle => Stages.Count == 0;

    /// <summary>Compact stage list, e.g. "T E D[0,20) V"; completions are spelled out as in MEG.md.</summary>
    public string StageSummary => string.Join(" ", Stages.Select(s => s.Letter()).Distinct());
}
