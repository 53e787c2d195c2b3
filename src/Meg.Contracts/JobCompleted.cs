namespace Meg.Contracts;

/// <summary>Every command of a job has finished and its final status is stored (by the worker whose command finished
/// last): the state machine lets go of the job.</summary>
public sealed record JobCompleted(Guid JobId);
