using Yarp.ReverseProxy.Configuration;

namespace Meg.Gateway.Extensions;

public static class GatewayExtensions
{
    /// <summary>Routes: /api/* and /openapi/* to the scheduler, found by service discovery ("http://scheduler").</summary>
    public static void AddApplicationServices(this IHostApplicationBuilder builder)
    {
        builder.Services.AddProblemDetails();
        // A job request with the largest sketch fits; the scheduler checks the same limit.
        builder.Services.Configure<Microsoft.AspNetCore.Server.Kestrel.Core.KestrelServerOptions>(k => k.Limits.MaxRequestBodySize = ProblemResponses.MaxBodyBytes);
        builder.Services.AddHttpClient(nameof(SchedulerHealthCheck));
        builder.Services.AddHealthChecks().AddCheck<SchedulerHealthCheck>("scheduler");
        builder.Services.AddReverseProxy()
            .LoadFromMemory(Routes, Clusters)
            .AddServiceDiscoveryDestinationResolver();
    }

    private static RouteConfig[] Routes =>
    [
        new() { RouteId = "api", ClusterId = "scheduler", Match = new RouteMatch { Path = "/api/{**rest}" } },
        new() { RouteId = "openapi", ClusterId = "scheduler", Match = new RouteMatch { Path = "/openapi/{**rest}" } },
    ];

    private static ClusterConfig[] Clusters =>
    [
        new()
        {
            ClusterId = "scheduler",
            Destinations = new Dictionary<string, DestinationConfig> { ["scheduler"] = new() { Address = "http://scheduler" } },
        },
    ];
}
