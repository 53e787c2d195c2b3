using System.Diagnostics;
using System.Globalization;
using Aspire.Hosting.ApplicationModel;
using Meg.Chaos.Faults;
using Meg.Distributed.Admission;
using Meg.Distributed.Jobs;

namespace Meg.Distributed.IntegrationTests;

/// <summary>Supervision: an edge server killed (SIGKILL) in the middle of a job's denoising is restarted by the AppHost,
/// its unacknowledged command is redelivered, and the job completes with the in-process image bit for bit.</summary>
[Trait("Category", "Slow")]
[Collection(DistributedAppCollection.Name)]
public sealed class KilledWorkerTests(DistributedAppFixture app)
{
    // Enough that the edge server is still denoising when it is killed (a step of the test model takes milliseconds).
    private const int Steps = 400;

    [Fact]
    public async Task A_job_whose_edge_server_is_killed_mid_job_completes_after_the_restart()
    {
        var id = await app.SubmitAsync(GatewayJobTests.Request("Centralized", Steps));
        var busy = await BusyEdgeServerAsync();
        var killed = WrapperPid(busy);

        using (var service = Process.GetProcessById(MegProcesses.ServiceUnder(killed)))
        {
            service.Kill();
        }

        var status = await app.WaitForEndAsync(id);
        // The next tests need the application whole: wait for the restarted server, not the killed one's last state.
        await WaitForRestartAsync(busy, killed);

        Assert.True(status.State == JobStates.Completed, status.Error);
        Assert.Contains(status.Steps, s => s.Kind == "stage" && s.Worker == busy);
        Assert.Equal(GatewayJobTests.Reference(app.Pipeline, "Centralized", Steps).Images[0], await app.ImageAsync(id));
    }

    /// <summary>The edge server holding a command now (the only job in the system is this test's), by the set of
    /// commands each queue's workers hold.</summary>
    private async Task<string> BusyEdgeServerAsync()
    {
        var redis = app.Redis.GetDatabase();
        for (var tries = 0; tries < 1000; tries++)
        {
            foreach (var queue in new[] { "es-1", "es-2" })
            {
                if (await redis.SetLengthAsync(QueueWatch.RunningKey(queue)) > 0)
                {
                    return queue;
                }
            }

            await Task.Delay(10);
        }

        throw new TimeoutException("No edge server started the job's command within 10 s.");
    }

    /// <summary>Waits until the supervisor has started <paramref name="resource"/> again (a new process) and it is healthy.</summary>
    private async Task WaitForRestartAsync(string resource, int killedWrapper)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await app.App.ResourceNotifications.WaitForResourceAsync(resource,
            e => e.Snapshot.State?.Text == KnownResourceStates.Running &&
                 e.Snapshot.Properties.FirstOrDefault(p => p.Name == "executable.pid")?.Value is { } pid &&
                 Convert.ToInt32(pid, CultureInfo.InvariantCulture) != killedWrapper,
            timeout.Token);
        await app.App.ResourceNotifications.WaitForResourceHealthyAsync(resource, timeout.Token);
    }

    /// <summary>The process the AppHost started for <paramref name="resource"/> (a <c>dotnet run</c> wrapper).</summary>
    private int WrapperPid(string resource)
    {
        Assert.True(app.App.ResourceNotifications.TryGetCurrentState(resource, out var state));
        var pid = state!.Snapshot.Properties.Single(p => p.Name == "executable.pid").Value;
        return Convert.ToInt32(pid, CultureInfo.InvariantCulture);
    }
}
