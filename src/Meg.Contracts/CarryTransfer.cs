namespace Meg.Contracts;

/// <summary>
/// Carry step <paramref name="StepIndex"/> of the job's plan (a transfer) from one node to another through the
/// channel. <paramref name="TransferIndex"/> is its position among the plan's transfers: it picks the noise
/// stream, as in the in-process executor.
/// </summary>
public sealed record CarryTransfer(Guid JobId, int StepIndex, int TransferIndex, string From, string To, IReadOnlyList<string> ArtifactRefs);
