using MassTransit.Saga;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Meg.Distributed.Scheduler;

/// <summary>
/// At start-up, before the bus starts consuming, puts the unfinished jobs saved in Redis back into the state
/// machine's repository: a restarted scheduler resumes them when their next step reports in.
/// </summary>
public sealed class SagaStateReloader(IndexedSagaDictionary<JobState> sagas, SagaStateStore store, ILogger<SagaStateReloader> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var states = await store.LoadActiveAsync();
        foreach (var state in states)
        {
            sagas.Add(new SagaInstance<JobState>(state));
        }

        if (states.Count > 0)
        {
            logger.LogInformation("Resumed {Count} unfinished jobs from Redis", states.Count);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
