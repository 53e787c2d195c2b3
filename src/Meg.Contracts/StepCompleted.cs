namespace Meg.Contracts;

/// <summary>A command of a job finished: its one step, or all of its steps (stages on one node, or transfers over one link).
/// The worker records it in the job's progress in Redis (not a message: see JobProgress in Meg.Distributed).</summary>
/// <param name="JobId">The job.</param>
/// <param name="StepIndex">Index of the command's first step in the plan.</param>
/// <param name="Worker">Which service instance did the work (e.g. "es-2", "channel-emulator").</param>
/// <param name="QueueMs">Time from send to the start of the work (waiting for a slot included).</param>
/// <param name="SentAt">When the command was sent (UTC), by the scheduler or by the worker that released it: with each
/// step's finish time, where a job's time goes.</param>
/// <param name="Runs">One entry per step, in plan order: its work time, cache use, finish time and transfer cost.</param>
/// <param name="OutputRefs">Claim-check references of what the steps produced.</param>
public sealed record StepCompleted(
    Guid JobId,
    int StepIndex,
    string Worker,
    double QueueMs,
    DateTime? SentAt,
    IReadOnlyList<StepRun> Runs,
    IReadOnlyList<string> OutputRefs);
