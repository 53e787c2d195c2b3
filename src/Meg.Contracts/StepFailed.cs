namespace Meg.Contracts;

/// <summary>A step failed for a reason that retrying will not fix (a bad plan, a model mismatch).</summary>
public sealed record StepFailed(Guid JobId, int StepIndex, string Worker, string Reason);
