using MassTransit;
using Meg.Distributed.Admission;
using Meg.Distributed.Nodes;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;

namespace Meg.Distributed.Hosting;

/// <summary>Wiring every MEG service shares: Redis (connection "redis") and RabbitMQ through MassTransit (connection "messaging").</summary>
public static class MegHostingExtensions
{
    public const string RedisConnection = "redis";
    public const string MessagingConnection = "messaging";

    /// <summary>Redis with Aspire's client (health check, traces) and the MEG stores over it.</summary>
    public static IHostApplicationBuilder AddMegStorage(this IHostApplicationBuilder builder)
    {
        // A service without Redis would keep jobs in its own memory, where no other service sees them: fail at start.
        if (string.IsNullOrWhiteSpace(builder.Configuration.GetConnectionString(RedisConnection)))
        {
            throw new InvalidOperationException($"ConnectionStrings:{RedisConnection} is not set; the AppHost sets it (host:port,password=...).");
        }

        builder.AddRedisClient(RedisConnection);
        builder.Services.AddMegStorage(builder.Configuration);
        return builder;
    }

    /// <summary>
    /// MassTransit on RabbitMQ: durable queues, retries with back-off, then the endpoint's _error queue.
    /// <paramref name="endpoints"/> adds the service's own receive endpoints.
    /// </summary>
    public static IHostApplicationBuilder AddMegMessaging(
        this IHostApplicationBuilder builder,
        Action<IBusRegistrationConfigurator> registrations,
        Action<IBusRegistrationContext, IRabbitMqBusFactoryConfigurator>? endpoints = null)
    {
        var connection = builder.Configuration.GetConnectionString(MessagingConnection)
            ?? throw new InvalidOperationException($"ConnectionStrings:{MessagingConnection} is not set; the AppHost sets it (an amqp:// URI).");
        builder.Services.AddMassTransit(x =>
        {
            // MassTransit reports usage to its vendor over the internet unless told not to.
            x.ConfigureUsageTelemetryOptions(o => o.Enabled = false);
            registrations(x);
            x.UsingRabbitMq((context, cfg) =>
            {
                cfg.UseMegBroker(new Uri(connection));
                cfg.ConnectSendObserver(new QueueSendObserver(context.GetRequiredService<QueueWatch>()));
                endpoints?.Invoke(context, cfg);
                cfg.ConfigureEndpoints(context);
            });
        });
        return builder;
    }

    /// <summary>The broker at <paramref name="broker"/> with MEG's retries: 3 times (0.2 s, 1 s, 3 s), then the endpoint's
    /// _error queue.</summary>
    public static void UseMegBroker(this IRabbitMqBusFactoryConfigurator cfg, Uri broker)
    {
        cfg.Host(broker);
        cfg.UseMessageRetry(r => r.Intervals(200, 1000, 3000));
    }

    /// <summary>A stage queue's settings: <paramref name="slots"/> messages at a time, fetched no further ahead, bound to
    /// nothing but its own queue (commands are sent, not published).</summary>
    public static void AsStageQueue(this IReceiveEndpointConfigurator e, int slots)
    {
        e.ConcurrentMessageLimit = slots;
        e.PrefetchCount = slots;
        e.ConfigureConsumeTopology = false;
    }

    /// <summary>Loads the model when the service starts; /health reports unhealthy until it is loaded.</summary>
    public static IHostApplicationBuilder AddMegModel(this IHostApplicationBuilder builder)
    {
        builder.Services.AddMegModel(builder.Configuration);
        builder.Services.AddHostedService<ModelWarmup>();
        builder.Services.AddHealthChecks().AddCheck<ModelHealthCheck>("model");
        return builder;
    }

    /// <summary>Receive endpoint for the stage commands of <paramref name="queue"/> with <paramref name="slots"/> concurrent stages.</summary>
    public static void StageEndpoint(this IRabbitMqBusFactoryConfigurator cfg, IBusRegistrationContext context, string queue, int slots)
    {
        cfg.ReceiveEndpoint(queue, e =>
        {
            e.AsStageQueue(slots);
            e.ConfigureConsumer<RunStageConsumer>(context);
        });
    }
}

/// <summary>Loads the model in the background at start-up so the first job does not pay for it.</summary>
internal sealed class ModelWarmup(ModelHost model) : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken) => Task.Run(() => _ = model.Pipeline, stoppingToken);
}

internal sealed class ModelHealthCheck(ModelHost model) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(model.IsLoaded ? HealthCheckResult.Healthy($"{model.Name} loaded") : HealthCheckResult.Unhealthy($"{model.Name} is loading"));
}
