using Meg.Distributed.Jobs;
using Meg.Distributed.Nodes;
using Meg.Distributed.Scheduler;
using Meg.Distributed.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace Meg.Distributed.Tests;

/// <summary>The job state machine's state lives in the blob store (Redis in deployment) and survives a scheduler restart.</summary>
public sealed class SchedulerStateReloadTests
{
    [Fact]
    public async Task A_job_in_flight_when_the_scheduler_stops_finishes_after_it_restarts()
    {
        var store = new InMemoryBlobStore();
        JobSpec spec;
        Meg.Contracts.RunStage[] sentStages;
        Meg.Contracts.CarryTransfer[] sentTransfers;
        // First scheduler: no workers, so the first commands are sent and the job waits for them.
        await using (var first = await InMemorySystem.StartAsync(store, withWorkers: false))
        {
            spec = InMemoryJobTests.Spec(first.Provider.GetRequiredService<ModelHost>(), "UIEG");
            await first.SubmitAsync(spec, InMemoryJobTests.Sketch);
            var saved = await WaitForSavedStateAsync(first.Provider.GetRequiredService<SagaStateStore>(), spec.Id);
            Assert.Equal("Running", saved.CurrentState);
            sentStages = first.Harness.Sent.Select<Meg.Contracts.RunStage>().Where(m => m.Context.Message.JobId == spec.Id).Select(m => m.Context.Message).ToArray();
            sentTransfers = first.Harness.Sent.Select<Meg.Contracts.CarryTransfer>().Where(m => m.Context.Message.JobId == spec.Id).Select(m => m.Context.Message).ToArray();
            Assert.NotEmpty(sentStages);
        }

        // A fresh process (new bus, new repository) with the workers: it reloads the state from the store. The commands
        // sent to the old in-memory bus are gone, so replay them as the broker would redeliver them from their durable queues.
        await using var second = await InMemorySystem.StartAsync(store);
        var plan = JobPlanning.Build(spec);
        foreach (var stage in sentStages)
        {
            var endpoint = await second.Harness.Bus.GetSendEndpoint(new Uri($"queue:{JobPlanning.QueueOf(Meg.Protocols.Plans.NodeId.Parse(stage.Node), spec)}"));
            await endpoint.Send(stage);
        }

        foreach (var transfer in sentTransfers)
        {
            await (await second.Harness.Bus.GetSendEndpoint(new Uri($"queue:{JobPlanning.ChannelQueue}"))).Send(transfer);
        }

        var status = await second.WaitForEndAsync(spec.Id);

        Assert.Equal(JobStates.Completed, status.State);
        Assert.Equal(plan.Steps.Count, status.Steps.Count);
        // The state machine drops the saved state when the job's last worker tells it the job is complete.
        var states = second.Provider.GetRequiredService<SagaStateStore>();
        for (var i = 0; i < 100 && (await states.LoadActiveAsync()).Count > 0; i++)
        {
            await Task.Delay(20);
        }

        Assert.Empty(await states.LoadActiveAsync());
    }

    private static async Task<JobState> WaitForSavedStateAsync(SagaStateStore store, Guid id)
    {
        for (var i = 0; i < 500; i++)
        {
            if ((await store.LoadActiveAsync()).FirstOrDefault(s => s.CorrelationId == id) is { } state)
            {
                return state;
            }

            await Task.Delay(20);
        }

        throw new TimeoutException("The job's state was never saved.");
    }
}
