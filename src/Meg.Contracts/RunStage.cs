namespace Meg.Contracts;

/// <summary>
/// Run step <paramref name="StepIndex"/> of the job's plan (a stage) on <paramref name="Node"/> ("UE", "ES1", ...).
/// Sent to that node's queue. <paramref name="InputRefs"/> are the claim-check references of the artifacts the
/// stage reads.
/// </summary>
public sealed record RunStage(Guid JobId, int StepIndex, string Node, IReadOnlyList<string> InputRefs);
