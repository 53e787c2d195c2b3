using Meg.Contracts;
using Meg.Distributed.Jobs;
using Meg.Distributed.Nodes;
using Microsoft.Extensions.DependencyInjection;

namespace Meg.Distributed.Tests;

/// <summary>Every job ends: one whose command nobody consumes fails at its deadline with the step and node it waited for,
/// and a result that comes after the failure is dropped.</summary>
public sealed class JobDeadlineTests
{
    private static readonly Dictionary<string, string?> ShortDeadlines = new()
    {
        ["Meg:Jobs:DeadlineMs"] = "60000",
        ["Meg:Jobs:SweepIntervalMs"] = "100",
    };

    [Fact]
    public async Task A_job_whose_command_is_never_consumed_fails_at_its_deadline_naming_the_step_and_node()
    {
        await using var system = await InMemorySystem.StartAsync(idleQueues: ["es-1", "es-2"], settings: ShortDeadlines);
        var spec = InMemoryJobTests.Spec(system.Provider.GetRequiredService<ModelHost>(), "Centralized") with { DeadlineMs = 1500 };

        await system.SubmitAsync(spec, InMemoryJobTests.Sketch);
        var status = await system.WaitForEndAsync(spec.Id, TimeSpan.FromSeconds(30));

        Assert.Equal(JobStates.Failed, status.State);
        Assert.Contains("deadline of 1.5 s passed", status.Error);
        Assert.Contains("on es-", status.Error);
        Assert.True(status.ElapsedMs >= 1500, $"failed after {status.ElapsedMs} ms, before its deadline");
        Assert.Empty(await system.Store.SortedSetRangeByScoreAsync(JobDeadlines.Key, double.MaxValue, 10));
    }

    [Fact]
    public async Task A_completed_job_leaves_no_deadline_behind_and_never_fails_later()
    {
        await using var system = await InMemorySystem.StartAsync(settings: ShortDeadlines);
        var spec = InMemoryJobTests.Spec(system.Provider.GetRequiredService<ModelHost>(), "CIAG");

        await system.SubmitAsync(spec, InMemoryJobTests.Sketch);
        var status = await system.WaitForEndAsync(spec.Id);

        Assert.Equal(JobStates.Completed, status.State);
        await WaitUntilAsync(async () => (await system.Store.SortedSetRangeByScoreAsync(JobDeadlines.Key, double.MaxValue, 10)).Count == 0);
        Assert.False(await system.Provider.GetRequiredService<JobEnding>().ClaimAsync(spec.Id, JobEnding.Failed));
    }

    [Fact]
    public async Task A_result_that_comes_after_the_failure_is_dropped()
    {
        await using var system = await InMemorySystem.StartAsync(idleQueues: ["es-1", "es-2"], settings: ShortDeadlines);
        var model = system.Provider.GetRequiredService<ModelHost>();
        var spec = InMemoryJobTests.Spec(model, "Centralized") with { DeadlineMs = 500 };
        await system.SubmitAsync(spec, InMemoryJobTests.Sketch);
        var failed = await system.WaitForEndAsync(spec.Id, TimeSpan.FromSeconds(30));
        Assert.Equal(JobStates.Failed, failed.State);

        // Every command reports in late, as a worker that was only slow would.
        var job = await system.Jobs.RequireJobAsync(spec.Id);
        var progress = system.Provider.GetRequiredService<JobProgress>();
        foreach (var command in job.Schedule.Commands)
        {
            await progress.RecordAsync(system.Harness.Bus, job, new StepCompleted(spec.Id, command.FirstStep, "late", 0, null, [], []));
        }

        var after = await system.Jobs.GetStatusAsync(spec.Id);
        Assert.Equal(JobStates.Failed, after!.State);
        Assert.Equal(failed.Error, after.Error);
    }

    private static async Task WaitUntilAsync(Func<Task<bool>> condition)
    {
        for (var tries = 0; tries < 200 && !await condition(); tries++)
        {
            await Task.Delay(25);
        }

        Assert.True(await condition());
    }
}
