using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Aspire.Hosting.ApplicationModel;
using Meg.Distributed.Admission;
using Meg.Distributed.Jobs;
using Xunit.Abstractions;

namespace Meg.Distributed.IntegrationTests;

/// <summary>Load handling with the real services, RabbitMQ and Redis: placement over the edge servers, the admission gate
/// (503 with Retry-After, nothing stored), the queue timeout, and the queue snapshot.</summary>
[Trait("Category", "Slow")]
[Collection(DistributedAppCollection.Name)]
public sealed class AdmissionTests(DistributedAppFixture app, ITestOutputHelper output)
{
    [Fact]
    public async Task A_full_system_refuses_with_503_while_placed_jobs_wait_on_both_edge_servers_and_a_job_past_its_wait_fails()
    {
        var commands = app.App.ResourceCommands;
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(4));
        // With both edge servers down, every admitted job waits at its ES queue: the system fills.
        await commands.ExecuteCommandAsync("es-1", KnownResourceCommands.StopCommand, cts.Token);
        await commands.ExecuteCommandAsync("es-2", KnownResourceCommands.StopCommand, cts.Token);
        try
        {
            var impatient = await app.SubmitAsync(WithMaxWait(GatewayJobTests.Request("Centralized"), 1000));
            var patient = new List<Guid>();
            for (var i = 1; i < DistributedAppFixture.MaxJobs; i++)
            {
                patient.Add(await app.SubmitAsync(GatewayJobTests.Request("Centralized")));
            }

            var accepted = await app.AcceptedJobsAsync();
            using var refused = await app.Gateway.PostAsJsonAsync("/api/jobs", GatewayJobTests.Request("Centralized"));

            Assert.Equal(HttpStatusCode.ServiceUnavailable, refused.StatusCode);
            Assert.True(refused.Headers.RetryAfter?.Delta >= TimeSpan.FromSeconds(1), $"Retry-After: {refused.Headers.RetryAfter}");
            using (var problem = JsonDocument.Parse(await refused.Content.ReadAsStringAsync()))
            {
                Assert.Contains($"takes at most {DistributedAppFixture.MaxJobs}", problem.RootElement.GetProperty("detail").GetString());
            }

            Assert.Equal(accepted, await app.AcceptedJobsAsync());

            // Placement: the waiting jobs' ES commands sit in both instances' queues, half each.
            var snapshot = await WaitForSnapshotAsync(s => s.Nodes.Where(n => n.Kind == "edge-server").Sum(n => n.Depth) == DistributedAppFixture.MaxJobs);
            Assert.Equal(DistributedAppFixture.MaxJobs, snapshot.JobsInSystem);
            Assert.All(snapshot.Nodes.Where(n => n.Kind == "edge-server"), n => Assert.Equal(DistributedAppFixture.MaxJobs / 2, n.Depth));
            output.WriteLine(JsonSerializer.Serialize(snapshot, MegJson.Options));

            await Task.Delay(TimeSpan.FromSeconds(1.2), cts.Token);
            await commands.ExecuteCommandAsync("es-1", KnownResourceCommands.StartCommand, cts.Token);
            await commands.ExecuteCommandAsync("es-2", KnownResourceCommands.StartCommand, cts.Token);

            var failed = await app.WaitForEndAsync(impatient);
            Assert.Equal(JobStates.Failed, failed.State);
            Assert.Matches(@"waited \d+\.\d s for es-[12]; limit 1 s", failed.Error);

            var workers = new HashSet<string>();
            foreach (var id in patient)
            {
                var status = await app.WaitForEndAsync(id);
                Assert.True(status.State == JobStates.Completed, status.Error);
                workers.UnionWith(status.Steps.Select(s => s.Worker).Where(w => w.StartsWith("es-", StringComparison.Ordinal)));
            }

            Assert.Equal(["es-1", "es-2"], workers.Order());
            var after = await WaitForSnapshotAsync(s => s.JobsInSystem == 0);
            Assert.All(after.Nodes, n => Assert.Equal(0, n.Depth));
        }
        finally
        {
            await commands.ExecuteCommandAsync("es-1", KnownResourceCommands.StartCommand, CancellationToken.None);
            await commands.ExecuteCommandAsync("es-2", KnownResourceCommands.StartCommand, CancellationToken.None);
            await app.App.ResourceNotifications.WaitForResourceHealthyAsync("es-1", CancellationToken.None).WaitAsync(TimeSpan.FromMinutes(2));
            await app.App.ResourceNotifications.WaitForResourceHealthyAsync("es-2", CancellationToken.None).WaitAsync(TimeSpan.FromMinutes(2));
        }
    }

    [Fact]
    public async Task A_wait_bound_out_of_range_is_refused_naming_maxWaitMs()
    {
        using var response = await app.Gateway.PostAsJsonAsync("/api/jobs", WithMaxWait(GatewayJobTests.Request("Centralized"), 0));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Contains("from 1 to 600000", problem.RootElement.GetProperty("errors").GetProperty("maxWaitMs")[0].GetString());
    }

    private static Dictionary<string, object?> WithMaxWait(object request, double maxWaitMs)
    {
        var fields = JsonSerializer.Deserialize<Dictionary<string, object?>>(JsonSerializer.Serialize(request))!;
        fields["maxWaitMs"] = maxWaitMs;
        return fields;
    }

    private async Task<SystemQueueSnapshot> WaitForSnapshotAsync(Func<SystemQueueSnapshot, bool> condition)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        SystemQueueSnapshot? snapshot = null;
        while (DateTime.UtcNow < deadline)
        {
            snapshot = await app.Gateway.GetFromJsonAsync<SystemQueueSnapshot>("/api/system/queues", MegJson.Options);
            if (snapshot is not null && condition(snapshot))
            {
                return snapshot;
            }

            await Task.Delay(100);
        }

        throw new TimeoutException($"The queues did not reach the expected state; last: {JsonSerializer.Serialize(snapshot, MegJson.Options)}");
    }
}
