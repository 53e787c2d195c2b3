namespace Meg.Contracts;

/// <summary>
/// Run <paramref name="Count"/> consecutive steps of the job's plan, from <paramref name="StepIndex"/>, all stages on
/// <paramref name="Node"/> ("UE", "ES1", ...). Sent to that node's queue. Stages that follow each other on one node
/// go in one command: the node keeps its memory between them and the job saves a round trip through the scheduler
/// per stage. <paramref name="InputRefs"/> are the claim-check references of the artifacts the stages read from
/// earlier steps. <paramref name="Then"/>: the commands to send on, in order, once these steps are done (see
/// <see cref="NextCommand"/>).
/// </summary>
public sealed record RunStage(Guid JobId, int StepIndex, string Node, IReadOnlyList<string> InputRefs, int Count = 1, IReadOnlyList<NextCommand>? Then = null);
