using Meg.Distributed.Jobs;
using Meg.Distributed.Nodes;
using Microsoft.Extensions.DependencyInjection;

namespace Meg.Distributed.Tests;

/// <summary>Waiting for a job's end without polling: the signal itself, and the state machine announcing ends.</summary>
public sealed class JobFinishedSignalTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Every_listener_of_a_job_wakes_when_it_is_announced_and_no_other()
    {
        var signal = new JobFinishedSignal(redis: null);
        var job = Guid.NewGuid();
        using var first = signal.Listen(job);
        using var second = signal.Listen(job);
        using var other = signal.Listen(Guid.NewGuid());

        await signal.AnnounceAsync(job);

        await first.Finished.WaitAsync(Patience);
        await second.Finished.WaitAsync(Patience);
        Assert.False(other.Finished.IsCompleted);
    }

    [Fact]
    public async Task A_listener_that_left_does_not_keep_the_others_from_waking_and_a_new_one_waits_for_the_next_announcement()
    {
        var signal = new JobFinishedSignal(redis: null);
        var job = Guid.NewGuid();
        var left = signal.Listen(job);
        using var stays = signal.Listen(job);
        left.Dispose();

        await signal.AnnounceAsync(job);
        await stays.Finished.WaitAsync(Patience);

        using var late = signal.Listen(job);
        Assert.False(late.Finished.IsCompleted);
        await signal.AnnounceAsync(job);
        await late.Finished.WaitAsync(Patience);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task The_state_machine_announces_a_completed_or_failed_job_after_storing_its_final_status(bool completes)
    {
        await using var system = await InMemorySystem.StartAsync();
        var model = system.Provider.GetRequiredService<ModelHost>();
        var spec = InMemoryJobTests.Spec(model, "UIEG");
        if (!completes)
        {
            // Settings that disagree with the plan's step count fail the job's first stage (no retry can fix that).
            spec = spec with { Settings = spec.Settings with { Steps = spec.Plan.TotalSteps + 1 } };
        }

        using var watch = system.Provider.GetRequiredService<JobFinishedSignal>().Listen(spec.Id);
        await system.SubmitAsync(spec, InMemoryJobTests.Sketch);
        await watch.Finished.WaitAsync(Patience);

        var status = await system.Jobs.GetStatusAsync(spec.Id);
        Assert.Equal(completes ? JobStates.Completed : JobStates.Failed, status?.State);
    }
}
