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
    private const int Steps = 40;

    [Fact]
    public async Task A_job_whose_edge_server_is_killed_mid_job_completes_after_the_restart()
    {
        var id = await app.SubmitAsync(GatewayJobTests.Request("Centralized", Steps));
        var busy = await BusyEdgeServerAsync();

        using (var service = Process.GetProcessById(MegProcesses.ServiceUnder(WrapperPid(busy))))
        {
            service.Kill();
        }

        var status = await app.WaitForEndAsync(id);
        await app.App.ResourceNotifications.WaitForResourceHealthyAsync(busy, CancellationToken.None).WaitAsync(TimeSpan.FromMinutes(2));

        Assert.True(status.State == JobStates.Completed, status.Error);
        Assert.Equal(GatewayJobTests.Reference(app.Pipeline, "Centralized", Steps).Images[0], await app.ImageAsync(id));
    }

    /// <summary>The edge server with a command in progress, by the queue counters in Redis.</summary>
    private async Task<string> BusyEdgeServerAsync()
    {
        var redis = app.Redis.GetDatabase();
        for (var tries = 0; tries < 400; tries++)
        {
            foreach (var queue in new[] { "es-1", "es-2" })
            {
                var counters = (await redis.HashGetAllAsync(QueueWatch.Key(queue))).ToDictionary(e => e.Name.ToString(), e => (double)e.Value);
                if (counters.GetValueOrDefault("started") > counters.GetValueOrDefault("finished"))
                {
                    return queue;
                }
            }

            await Task.Delay(25);
        }

        throw new TimeoutException("No edge server started the job's command within 10 s.");
    }

    /// <summary>The process the AppHost started for <paramref name="resource"/> (a <c>dotnet run</c> wrapper).</summary>
    private int WrapperPid(string resource)
    {
        Assert.True(app.App.ResourceNotifications.TryGetCurrentState(resource, out var state));
        var pid = state!.Snapshot.Properties.Single(p => p.Name == "executable.pid").Value;
        return Convert.ToInt32(pid, CultureInfo.InvariantCulture);
    }
}
