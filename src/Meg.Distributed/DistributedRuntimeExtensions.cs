using Meg.Diffusion.Batching;
using MassTransit.Saga;
using MassTransit;
using Meg.Distributed.Admission;
using Meg.Distributed.Commands;
using Meg.Distributed.Jobs;
using Meg.Distributed.Nodes;
using Meg.Distributed.Scheduler;
using Meg.Distributed.Storage;
using Meg.Distributed.Telemetry;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.DependencyInjection;
using StackExchange.Redis;

namespace Meg.Distributed;

public static class DistributedRuntimeExtensions
{
    /// <summary>The stores over <see cref="IBlobStore"/>: Redis when a multiplexer is registered (call after AddRedisClient),
    /// else in memory.</summary>
    public static IServiceCollection AddMegStorage(this IServiceCollection services, IConfiguration configuration)
    {
        services.Configure<StorageOptions>(configuration.GetSection("Meg:Storage"));
        services.TryAddSingleton<IBlobStore>(sp => sp.GetService<IConnectionMultiplexer>() is { } redis
            ? new RedisBlobStore(redis)
            : new InMemoryBlobStore());
        services.TryAddSingleton<ClaimCheckStore>();
        services.TryAddSingleton<JobStore>();
        services.TryAddSingleton<TextEmbeddingCache>();
        services.TryAddSingleton<SagaStateStore>();
        services.TryAddSingleton<CommandRelease>();
        services.TryAddSingleton<JobProgress>();
        services.TryAddSingleton<JobEnding>();
        services.Configure<JobOptions>(configuration.GetSection("Meg:Jobs"));
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<JobDeadlines>();
        services.TryAddSingleton(sp => new JobFinishedSignal(sp.GetService<IConnectionMultiplexer>()));
        services.TryAddSingleton(sp => new JobStepSignal(sp.GetService<IConnectionMultiplexer>()));
        services.TryAddSingleton<JobEvents>();
        services.TryAddSingleton<MegMetrics>();
        services.Configure<QueueOptions>(configuration.GetSection("Meg:Queues"));
        services.TryAddSingleton<QueueWatch>();
        services.AddMetrics();
        return services;
    }

    /// <summary>The model this process runs (section "Meg": Model, Provider; MEG_MODEL overrides the folder).</summary>
    public static IServiceCollection AddMegModel(this IServiceCollection services, IConfiguration configuration)
    {
        services.Configure<ModelOptions>(configuration.GetSection("Meg"));
        services.AddOptions<DeviceOptions>().Bind(configuration.GetSection("Meg")).Validate(o => o.Validate() is not null);
        services.AddOptions<BatchingOptions>().Bind(configuration.GetSection("Meg:Batching"));
        services.TryAddSingleton<ModelHost>();
        return services;
    }

    /// <summary>The job state machine with its state kept in Redis and reloaded at start-up. Register before the bus
    /// starts so reloaded jobs are in place when messages arrive.</summary>
    public static void AddJobStateMachine(this IBusRegistrationConfigurator bus, IServiceCollection services)
    {
        // The in-memory repository takes this dictionary (it registers with TryAdd); the reloader fills it from Redis.
        services.TryAddSingleton(new IndexedSagaDictionary<JobState>());
        services.AddHostedService<SagaStateReloader>();
        services.AddHostedService<DeadlineSweeper>();
        services.TryAddScoped<JobDriver>();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<CompletionRate>();
        services.TryAddSingleton<JobAdmission>();
        bus.AddSagaStateMachine<GenerationJobStateMachine, JobState>().InMemoryRepository();
    }
}
