using Aspire.Hosting.ApplicationModel;
using Meg.Distributed.Jobs;
using Meg.Distributed.Scheduler;
using Xunit.Abstractions;

namespace Meg.Distributed.IntegrationTests;

/// <summary>The scheduler's job state lives in Redis and messages wait in durable queues: stopping services mid-job loses nothing.</summary>
[Trait("Category", "Slow")]
[Collection(DistributedAppCollection.Name)]
public sealed class SchedulerRestartTests(DistributedAppFixture app, ITestOutputHelper output)
{
    [Fact]
    public async Task A_job_survives_a_scheduler_restart_and_still_matches_the_executor()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        var commands = app.App.ResourceCommands;
        // With both edge servers down the job stops at its first ES stage, its command waiting in the queue of the
        // instance the scheduler placed it on.
        await commands.ExecuteCommandAsync("es-1", KnownResourceCommands.StopCommand, cts.Token);
        await commands.ExecuteCommandAsync("es-2", KnownResourceCommands.StopCommand, cts.Token);
        try
        {
            var id = await app.SubmitAsync(GatewayJobTests.Request("Centralized"));
            var waiting = await app.WaitForAsync(id, s => s.Steps.Count == 2);
            Assert.Equal(JobStates.Running, waiting.State);

            await commands.ExecuteCommandAsync("scheduler", KnownResourceCommands.StopCommand, cts.Token);
            var active = await app.Redis.GetDatabase().SetMembersAsync(SagaStateStore.ActiveSetKey);
            Assert.Contains(id.ToString("N"), active.Select(v => v.ToString()));

            // The edge server does the stage while the scheduler is down; its completion waits in the scheduler's queue.
            await commands.ExecuteCommandAsync("es-1", KnownResourceCommands.StartCommand, cts.Token);
            await commands.ExecuteCommandAsync("es-2", KnownResourceCommands.StartCommand, cts.Token);
            // The scheduler waits for the edge servers: starting it while one is still coming up can fail its start.
            await app.App.ResourceNotifications.WaitForResourceHealthyAsync("es-1", cts.Token);
            await app.App.ResourceNotifications.WaitForResourceHealthyAsync("es-2", cts.Token);
            await commands.ExecuteCommandAsync("scheduler", KnownResourceCommands.StartCommand, cts.Token);
            await app.App.ResourceNotifications.WaitForResourceHealthyAsync("scheduler", cts.Token);

            var status = await app.WaitForEndAsync(id);

            Assert.True(status.State == JobStates.Completed, status.Error);
            Assert.Equal(GatewayJobTests.Reference(app.Pipeline, "Centralized").Images[0], await app.ImageAsync(id));
            output.WriteLine($"The application booted in {app.StartTime.TotalSeconds:F1} s; the job took {status.ElapsedMs / 1000:F1} s with both restarts.");
        }
        finally
        {
            // Leave the shared application whole for the other tests, whatever happened above.
            await app.StartAsync("es-1", "es-2");
            await app.StartAsync("scheduler");
        }
    }
}
