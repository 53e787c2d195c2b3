namespace Meg.Contracts;

/// <summary>The scheduler accepted a job; its request and the UE's inputs are already in the job store.</summary>
public sealed record JobSubmitted(Guid JobId);
