namespace Meg.Contracts;

/// <summary>
/// Run <paramref name="Count"/> consecutive steps of the job's plan, from <paramref name="StepIndex"/>, all stages on
/// <paramref name="Node"/> ("UE", "ES1", ...). Sent to that node's queue, by the scheduler when the job starts or by the
/// worker that finished the last command it waits for. Stages that follow each other on one node go in one command:
/// the node keeps its memory between them. <paramref name="InputRefs"/> are the claim-check references of the
/// artifacts the stages read from earlier steps. <paramref name="Spec"/> is the job's spec, as stored (JSON): a worker
/// that has not seen the job yet need not read it from the store (null: it does).
/// </summary>
public sealed record RunStage(Guid JobId, int StepIndex, string Node, IReadOnlyList<string> InputRefs, int Count = 1, string? Spec = null);
