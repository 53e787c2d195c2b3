using Meg.Distributed.Admission;

namespace Meg.Scheduler.Apis;

/// <summary>The system's state for load generators and dashboards (reached through the gateway at /api/system).</summary>
public static class SystemApi
{
    public static IEndpointRouteBuilder MapSystemApi(this IEndpointRouteBuilder app)
    {
        app.MapGroup("/api/system").WithTags("System").RequireAuthorization()
            .MapGet("/queues", (SystemQueues queues) => queues.SnapshotAsync())
            .WithSummary("Every node's queue depth, work in progress, mean wait and service time, and the admission gate");
        return app;
    }
}
