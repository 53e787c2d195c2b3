using System.Globalization;
using MassTransit;
using Meg.Contracts;
using Meg.Distributed.Storage;
using Microsoft.Extensions.Options;

namespace Meg.Distributed.Jobs;

/// <summary>
/// Where a job stands, kept by the workers themselves: each records the command it finished in the job's progress (a
/// Redis hash, one entry per command, so a redelivered command counts once), and the worker whose record completes
/// it finishes the job: it stores the final status, wakes the requests waiting for it, and tells the state machine
/// (<see cref="JobCompleted"/>). So neither a step nor the job's end waits for a round trip through the scheduler, and
/// the scheduler handles two messages per job whatever its length instead of one per command.
/// </summary>
public sealed class JobProgress(IBlobStore store, JobStore jobs, JobFinishedSignal endings, JobStepSignal steps, JobEnding ending, IOptions<StorageOptions> options)
{
    /// <summary>Records <paramref name="report"/>; when it is the job's last command to finish, finishes the job.</summary>
    public async Task RecordAsync(IPublishEndpoint publish, PlannedJob job, StepCompleted report)
    {
        var entries = await store.HashAddAndGetAllAsync(JobStore.ProgressKey(report.JobId), report.StepIndex.ToString(CultureInfo.InvariantCulture),
            StepRecords.Write(report), options.Value.JobTtl);
        if (entries.Count < job.Schedule.Commands.Count)
        {
            // Watchers of the job's event stream hear of the step now; the last one is told by the job's end.
            await steps.AnnounceAsync(report.JobId);
            return;
        }

        // A job that failed meanwhile (its deadline, another command) stays failed: this result is dropped. Finishing
        // again after a redelivery of the last command writes the same steps (the first record of each command stays)
        // and tells the state machine again, which lets go of a job once.
        if (!await ending.ClaimAsync(report.JobId, JobEnding.Completed))
        {
            return;
        }

        var now = DateTimeOffset.UtcNow;
        var saved = jobs.SaveStatusAsync(StepRecords.WithSteps(JobStatus.Of(job.Spec, job.Plan), job.Plan, StepRecords.Read(entries)) with
        {
            State = JobStates.Completed,
            FinishedAt = now,
            ElapsedMs = (now - job.Spec.SubmittedAt).TotalMilliseconds,
        });
        // The announcement need not wait for the write's reply: Redis runs one connection's commands in order, so a
        // waiter that hears it reads the final status.
        var announced = endings.AnnounceAsync(report.JobId);
        await Task.WhenAll(saved, announced);
        await publish.Publish(new JobCompleted(report.JobId));
    }
}
