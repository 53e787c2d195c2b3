namespace Meg.Contracts;

/// <summary>A stage or transfer of a job finished; or, for a command of several steps, all of them.</summary>
/// <param name="JobId">The job.</param>
/// <param name="StepIndex">Index of the step in the plan (the first, for a command of several steps).</param>
/// <param name="Worker">Which service instance did the work (e.g. "es-2", "channel-emulator").</param>
/// <param name="QueueMs">Time from send to the start of the work (waiting for a slot included).</param>
/// <param name="ServiceMs">Time the work itself took.</param>
/// <param name="CacheHit">A text encoding served from the embedding cache.</param>
/// <param name="OutputRefs">Claim-check references of what the step produced.</param>
/// <param name="Transfer">What the crossing cost, for transfers.</param>
/// <param name="SentAt">When the scheduler sent the step (UTC): with <paramref name="FinishedAt"/>, where a job's time goes.</param>
/// <param name="FinishedAt">When the worker finished the step and stored its outputs (UTC).</param>
/// <param name="Runs">For a command of several steps, one entry per step in order; null for a single step.</param>
public sealed record StepCompleted(
    Guid JobId,
    int StepIndex,
    string Worker,
    double QueueMs,
    double ServiceMs,
    bool CacheHit,
    IReadOnlyList<string> OutputRefs,
    TransferAccounting? Transfer = null,
    DateTime? SentAt = null,
    DateTime? FinishedAt = null,
    IReadOnlyList<StepRun>? Runs = null);

/// <summary>What one transfer cost on the channel (mirrors the executor's transfer record).</summary>
public sealed record TransferAccounting(
    long Values,
    long Bits,
    long ChannelUses,
    double AirtimeSeconds,
    long? BitErrors,
    bool Outage,
    bool DecodeFailed,
    double? MeasuredSnrDb);
