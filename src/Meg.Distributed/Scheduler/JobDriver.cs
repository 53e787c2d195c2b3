using Meg.Contracts;
using Meg.Distributed.Admission;
using Meg.Distributed.Jobs;
using Meg.Distributed.Storage;
using Meg.Distributed.Telemetry;

namespace Meg.Distributed.Scheduler;

/// <summary>What the state machine does at each event: keep a record of a started job, let go of a job its workers
/// finished (<see cref="JobProgress"/>), or fail it. The jobs API sends a job's first commands (<see cref="JobSubmission"/>).</summary>
public sealed class JobDriver(JobStore jobs, SagaStateStore sagas, JobFinishedSignal endings, JobAdmission admission, JobEnding ending, JobDeadlines deadlines,
    IBlobStore store, MegMetrics metrics)
{
    /// <summary>Whether the job has ended already: its completion or failure overtook its submission (a scheduler
    /// that was down, or a very short job).</summary>
    public async Task<bool> HasEndedAsync(Guid job)
    {
        if (await jobs.GetStoredStatusAsync(job) is not { State: JobStates.Completed or JobStates.Failed })
        {
            return false;
        }

        await LetGoAsync(job);
        return true;
    }

    /// <summary>Keeps the record of a running job, so a restarted scheduler can still end it.</summary>
    public Task StartAsync(JobState saga)
    {
        saga.CurrentState = "Running";
        return sagas.AddAsync(saga);
    }

    /// <summary>The job's last worker stored its final status and woke its waiters: only the record is left to drop.</summary>
    public Task CompleteAsync(JobState saga) => LetGoAsync(saga.CorrelationId);

    public async Task FailAsync(JobState saga, int stepIndex, string reason)
    {
        // The status with the steps done so far. A job that completed stays completed (a command that fails after a
        // redelivery did its work the first time), and one that failed keeps its first reason.
        if (await ending.ClaimAsync(saga.CorrelationId, JobEnding.Failed) &&
            await jobs.GetStatusAsync(saga.CorrelationId) is { State: not (JobStates.Completed or JobStates.Failed) } status)
        {
            var now = DateTimeOffset.UtcNow;
            await jobs.SaveStatusAsync(status with
            {
                State = JobStates.Failed,
                Error = $"Step {stepIndex}: {reason}",
                FinishedAt = now,
                ElapsedMs = (now - status.SubmittedAt).TotalMilliseconds,
            });
        }

        await LetGoAsync(saga.CorrelationId);
        await endings.AnnounceAsync(saga.CorrelationId);
    }

    /// <summary>Fails the job of a command that failed after every retry and went to its queue's _error queue, and counts
    /// it (metric meg.commands.dead_lettered, and <see cref="DeadLetteredKey"/> for the queues snapshot).</summary>
    public Task FailDeadLetteredAsync(JobState saga, int stepIndex, string reason, string command)
    {
        metrics.DeadLettered(command);
        return Task.WhenAll(store.IncrementAsync(DeadLetteredKey), FailAsync(saga, stepIndex, reason));
    }

    public const string DeadLetteredKey = "meg:commands:dead_lettered";

    /// <summary>Drops what the scheduler keeps of an ended job: its record, its place in the system, its deadline.</summary>
    private Task LetGoAsync(Guid job) => Task.WhenAll(sagas.RemoveAsync(job), admission.ReleaseAsync(job), deadlines.ForgetAsync(job));
}
