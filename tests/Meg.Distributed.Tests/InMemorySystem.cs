using MassTransit.Testing;
using MassTransit;
using Meg.Distributed.Jobs;
using Meg.Distributed.Nodes;
using Meg.Distributed.Storage;
using Meg.Distributed;
using Meg.Protocols.Plans;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Meg.Distributed.Tests;

/// <summary>
/// The whole system in one process on MassTransit's in-memory transport: the same consumers and state machine as
/// the services, one consumer per node queue (ue, es-1, es-2, channel-emulator), and a shared in-memory blob store
/// standing in for Redis.
/// </summary>
internal sealed class InMemorySystem : IAsyncDisposable
{
    private InMemorySystem(ServiceProvider provider, ITestHarness harness, IBlobStore store)
    {
        Provider = provider;
        Harness = harness;
        Store = store;
    }

    public ServiceProvider Provider { get; }

    public ITestHarness Harness { get; }

    public IBlobStore Store { get; }

    public JobStore Jobs => Provider.GetRequiredService<JobStore>();

    /// <param name="idleQueues">Node queues that get no worker: their commands wait forever.</param>
    /// <param name="settings">Configuration beyond the model and the two edge servers (e.g. "Meg:UeSpeed").</param>
    public static async Task<InMemorySystem> StartAsync(IBlobStore? store = null, bool withWorkers = true, IReadOnlyCollection<string>? idleQueues = null,
        IReadOnlyDictionary<string, string?>? settings = null)
    {
        store ??= new InMemoryBlobStore();
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["Meg:Model"] = RepositoryLayout.TestFixture("fp32-sketch-conditioned"), ["Meg:EdgeServers"] = "2" })
            .AddInMemoryCollection(settings ?? new Dictionary<string, string?>())
            .Build();
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton<IBlobStore>(store);
        services.AddMegStorage(configuration).AddMegModel(configuration);
        services.Configure<SchedulerOptions>(configuration.GetSection("Meg"));
        services.AddSingleton(new NodeRole(true, new HashSet<int> { 1, 2 }, "test"));
        services.AddScoped<JobSubmission>();
        services.AddMassTransitTestHarness(x =>
        {
            x.AddJobStateMachine(services);
            if (withWorkers)
            {
                x.AddConsumer<RunStageConsumer>().ExcludeFromConfigureEndpoints();
                x.AddConsumer<CarryTransferConsumer>().ExcludeFromConfigureEndpoints();
            }

            x.UsingInMemory((context, cfg) =>
            {
                if (withWorkers)
                {
                    // With batching on, an edge server takes as many commands at once as it batches (as the ES-generator does).
                    var edgeConcurrency = Math.Max(1, configuration.GetValue("Meg:Batching:MaxBatch", 1));
                    foreach (var queue in new[] { "ue", "es-1", "es-2" }.Except(idleQueues ?? []))
                    {
                        cfg.ReceiveEndpoint(queue, e =>
                        {
                            if (queue != "ue")
                            {
                                e.ConcurrentMessageLimit = edgeConcurrency;
                            }

                            e.ConfigureConsumer<RunStageConsumer>(context);
                        });
                    }

                    cfg.ReceiveEndpoint(JobPlanning.ChannelQueue, e => e.ConfigureConsumer<CarryTransferConsumer>(context));
                }

                cfg.ConfigureEndpoints(context);
            });
        });
        var provider = services.BuildServiceProvider(true);
        var harness = provider.GetRequiredService<ITestHarness>();
        harness.TestTimeout = TimeSpan.FromSeconds(60);
        // "Was it consumed?" answers no once the bus has been quiet this long: on two busy cores a message can take
        // longer than the default to be consumed, so a quiet spell must be long before it counts as the end.
        harness.TestInactivityTimeout = TimeSpan.FromSeconds(4);
        await harness.Start();
        return new InMemorySystem(provider, harness, store);
    }

    public async Task SubmitAsync(JobSpec spec, Meg.Imaging.RgbImage sketch)
    {
        await using var scope = Provider.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<JobSubmission>().SubmitAsync(spec, sketch);
    }

    public async Task<JobStatus> WaitForAsync(Guid id, Func<JobStatus, bool> condition, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(60));
        while (DateTime.UtcNow < deadline)
        {
            if (await Jobs.GetStatusAsync(id) is { } status && condition(status))
            {
                return status;
            }

            await Task.Delay(20);
        }

        throw new TimeoutException($"Job {id} did not reach the expected state in time; last status: {(await Jobs.GetStatusAsync(id))?.State}.");
    }

    public async Task<JobStatus> WaitForEndAsync(Guid id, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(60));
        while (DateTime.UtcNow < deadline)
        {
            if (await Jobs.GetStatusAsync(id) is { State: JobStates.Completed or JobStates.Failed } status)
            {
                return status;
            }

            await Task.Delay(20);
        }

        throw new TimeoutException($"Job {id} did not finish in time; last status: {(await Jobs.GetStatusAsync(id))?.State}.");
    }

    public async ValueTask DisposeAsync()
    {
        await Harness.Stop();
        await Provider.DisposeAsync();
    }
}
