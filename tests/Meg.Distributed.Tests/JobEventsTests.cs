using Meg.Distributed.Jobs;
using Meg.Distributed.Nodes;
using Microsoft.Extensions.DependencyInjection;

namespace Meg.Distributed.Tests;

/// <summary>A job's event stream: each step once as its command is recorded, in the order they finish, then the end.</summary>
public sealed class JobEventsTests
{
    [Fact]
    public async Task Each_recorded_command_is_told_as_its_steps_once_before_the_end_which_closes_the_stream()
    {
        // No workers: this test plays them, one command at a time, and watches the stream between them.
        await using var system = await InMemorySystem.StartAsync(withWorkers: false);
        var spec = InMemoryJobTests.Spec(system.Provider.GetRequiredService<ModelHost>(), "CIAG");
        await system.SubmitAsync(spec, InMemoryJobTests.Sketch);
        var job = await system.Jobs.RequireJobAsync(spec.Id);
        var progress = system.Provider.GetRequiredService<JobProgress>();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await using var events = system.Provider.GetRequiredService<JobEvents>().WatchAsync(spec.Id, cancellationToken: timeout.Token).GetAsyncEnumerator();

        Assert.True(await events.MoveNextAsync());
        Assert.Equal("state", events.Current.Type);
        Assert.Equal(JobStates.Queued, ((JobEvent.StateChange)events.Current.Data).State);

        var told = new List<int>();
        var commands = job.Schedule.Commands;
        var next = events.MoveNextAsync().AsTask();
        for (var c = 0; c < commands.Count; c++)
        {
            await Task.Delay(50);
            Assert.False(next.IsCompleted); // nothing is told before it happens
            await progress.RecordAsync(system.Harness.Bus, job, JobStoreTests.Report(job, c, "worker"));
            for (var k = 0; k < commands[c].Count; k++)
            {
                Assert.True(await next);
                var step = Assert.IsType<JobEvent.StepFinished>(events.Current.Data);
                told.Add(step.Step.Index);
                Assert.Equal(told.Count, step.StepsDone);
                next = events.MoveNextAsync().AsTask();
            }

            if (c == 0 && commands.Count > 1)
            {
                // Running once its first command has finished.
                Assert.True(await next);
                Assert.Equal(JobStates.Running, Assert.IsType<JobEvent.StateChange>(events.Current.Data).State);
                next = events.MoveNextAsync().AsTask();
            }
        }

        Assert.True(await next);
        Assert.Equal("end", events.Current.Type);
        Assert.Equal(JobStates.Completed, Assert.IsType<JobStatus>(events.Current.Data).State);
        Assert.False(await events.MoveNextAsync()); // the end closes the stream
        Assert.Equal(Enumerable.Range(0, job.Plan.Steps.Count), told.Order());
    }
}
