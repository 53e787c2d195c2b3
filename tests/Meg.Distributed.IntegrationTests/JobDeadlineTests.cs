using System.Text.Json;
using Meg.Distributed.Jobs;

namespace Meg.Distributed.IntegrationTests;

/// <summary>Every job ends: with both edge servers down, a job's command waits in a queue nobody consumes, and the
/// scheduler fails the job at its deadline; the command, consumed once the servers are back, changes nothing.</summary>
[Trait("Category", "Slow")]
[Collection(DistributedAppCollection.Name)]
public sealed class JobDeadlineTests(DistributedAppFixture app)
{
    [Fact]
    public async Task A_deadline_ends_a_job_whose_command_is_never_consumed()
    {
        await app.StopAsync("es-1", "es-2");
        Guid id;
        JobStatus failed;
        try
        {
            var request = JsonSerializer.SerializeToNode(GatewayJobTests.Request("Centralized"))!.AsObject();
            request["deadlineMs"] = 3000;
            id = await app.SubmitAsync(request);

            failed = await app.WaitForEndAsync(id);

            Assert.Equal(JobStates.Failed, failed.State);
            Assert.Contains("deadline of 3 s passed", failed.Error);
            Assert.Contains("on es-", failed.Error);
        }
        finally
        {
            await app.StartAsync("es-1", "es-2");
        }

        // The waiting command is consumed now: it is dropped, and the job keeps its failure.
        await WaitUntilQueueDrainedAsync("es-1");
        await WaitUntilQueueDrainedAsync("es-2");
        var after = await app.WaitForEndAsync(id);
        Assert.Equal(JobStates.Failed, after.State);
        Assert.Equal(failed.Error, after.Error);
        Assert.Equal(failed.Steps.Count, after.Steps.Count);
    }

    private async Task WaitUntilQueueDrainedAsync(string queue)
    {
        var redis = app.Redis.GetDatabase();
        for (var tries = 0; tries < 300; tries++)
        {
            var counters = await redis.HashGetAllAsync(Meg.Distributed.Admission.QueueWatch.Key(queue));
            double Get(string field) => counters.FirstOrDefault(e => e.Name == field).Value is { IsNull: false } v ? (double)v : 0;
            if (Get("sent") == Get("started"))
            {
                return;
            }

            await Task.Delay(100);
        }

        Assert.Fail($"The queue {queue} still holds commands 30 s after its edge server came back.");
    }
}
