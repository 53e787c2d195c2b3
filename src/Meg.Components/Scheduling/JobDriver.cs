using MassTransit;
using Meg.Components.Jobs;
using Meg.Contracts;

namespace Meg.Components.Scheduling;

/// <summary>What the state machine does at each event: send the commands that wait for nothing when the job starts,
/// let go of a job its workers finished (<see cref="JobProgress"/>), or fail it.</summary>
public sealed class JobDriver(JobStore jobs, SagaStateStore sagas, JobFinishedSignal endings)
{
    public async Task StartAsync(BehaviorContext<JobState, JobSubmitted> context)
    {
        var (spec, plan, schedule) = await jobs.RequireJobAsync(context.Message.JobId);
        // Only the commands that wait for nothing: every other one is sent by the worker that finishes the last command
        // it waits for (CommandRelease). They go first: the record below is off the job's critical path (the saga
        // instance stays locked until it is written, so no later event of the job can overtake it).
        await CommandDispatch.SendAllAsync(context, spec.Id, plan, schedule.Sources);
        context.Saga.CurrentState = "Running";
        await sagas.AddAsync(context.Saga);
    }

    /// <summary>The job's last worker stored its final status and woke its waiters: only the record is left to drop.</summary>
    public Task CompleteAsync(JobState saga) => sagas.RemoveAsync(saga.CorrelationId);

    public async Task FailAsync(JobState saga, int stepIndex, string reason)
    {
        // The status with the steps done so far. A job that completed stays completed: a command that fails after a
        // redelivery did its work the first time.
        if (await jobs.GetStatusAsync(saga.CorrelationId) is { State: not JobStates.Completed } status)
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

        await sagas.RemoveAsync(saga.CorrelationId);
        await endings.AnnounceAsync(saga.CorrelationId);
    }
}
