using Meg.Contracts;
using Meg.Distributed.Jobs;
using Meg.Distributed.Nodes;
using Microsoft.Extensions.DependencyInjection;

namespace Meg.Distributed.Tests;

/// <summary>The workers keep a job's progress; the one whose command finishes last ends the job.</summary>
public sealed class JobProgressTests
{
    [Fact]
    public async Task The_last_command_to_finish_completes_the_job_once_each_command_counted_once_and_its_first_record_kept()
    {
        // No workers: this test plays them.
        await using var system = await InMemorySystem.StartAsync(withWorkers: false);
        var spec = InMemoryJobTests.Spec(system.Provider.GetRequiredService<ModelHost>(), "CIAG");
        await system.SubmitAsync(spec, InMemoryJobTests.Sketch);
        var job = await system.Jobs.RequireJobAsync(spec.Id);
        var progress = system.Provider.GetRequiredService<JobProgress>();
        using var watch = system.Provider.GetRequiredService<JobFinishedSignal>().Listen(spec.Id);
        var commands = job.Schedule.Commands.Count;
        Assert.True(commands > 2);

        for (var c = 0; c < commands - 1; c++)
        {
            await progress.RecordAsync(system.Harness.Bus, job, JobStoreTests.Report(job, c, "first"));
        }

        // A redelivered command recorded again does not count as the missing one.
        await progress.RecordAsync(system.Harness.Bus, job, JobStoreTests.Report(job, 0, "again"));
        var running = await system.Jobs.GetStatusAsync(spec.Id);
        Assert.Equal(JobStates.Running, running?.State);
        Assert.False(watch.Finished.IsCompleted);
        Assert.False(await system.Harness.Published.Any<JobCompleted>(m => m.Context.Message.JobId == spec.Id, new CancellationTokenSource(200).Token));

        await progress.RecordAsync(system.Harness.Bus, job, JobStoreTests.Report(job, commands - 1, "last"));

        await watch.Finished.WaitAsync(TimeSpan.FromSeconds(10)); // announced after the final status was stored
        var status = await system.Jobs.GetStatusAsync(spec.Id);
        Assert.Equal(JobStates.Completed, status?.State);
        Assert.Equal(Enumerable.Range(0, job.Plan.Steps.Count), status!.Steps.Select(s => s.Index));
        Assert.DoesNotContain(status.Steps, s => s.Worker == "again");
        Assert.NotNull(status.FinishedAt);
        Assert.True(await system.Harness.Published.Any<JobCompleted>(m => m.Context.Message.JobId == spec.Id));
    }
}
