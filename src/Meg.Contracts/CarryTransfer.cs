namespace Meg.Contracts;

/// <summary>
/// Carry <paramref name="Count"/> consecutive steps of the job's plan, from <paramref name="StepIndex"/>, all
/// transfers from <paramref name="From"/> to <paramref name="To"/>, through the channel (e.g. the prompt and the
/// image going up together). <paramref name="TransferIndex"/> is the first one's position among the plan's
/// transfers: it picks the noise stream, as in the in-process executor (the next ones take the next indices).
/// Sent to the channel emulator like <see cref="RunStage"/>, with the job's spec likewise.
/// </summary>
public sealed record CarryTransfer(Guid JobId, int StepIndex, int TransferIndex, string From, string To, IReadOnlyList<string> ArtifactRefs, int Count = 1,
    string? Spec = null);
