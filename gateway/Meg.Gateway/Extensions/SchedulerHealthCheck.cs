using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Meg.Gateway.Extensions;

/// <summary>
/// The gateway is only as healthy as the scheduler behind it: its /health asks the scheduler's (found by service
/// discovery, 2 s at most), so a load balancer or an operator sees a gateway that cannot serve jobs as unhealthy.
/// </summary>
public sealed class SchedulerHealthCheck(IHttpClientFactory clients) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            using var http = clients.CreateClient(nameof(SchedulerHealthCheck));
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(TimeSpan.FromSeconds(2));
            using var response = await http.GetAsync("http://scheduler/health", timeout.Token);
            return response.IsSuccessStatusCode
                ? HealthCheckResult.Healthy("the scheduler is healthy")
                : HealthCheckResult.Unhealthy($"the scheduler's /health answered {(int)response.StatusCode}");
        }
        catch (Exception e) when (e is HttpRequestException or OperationCanceledException)
        {
            return HealthCheckResult.Unhealthy($"the scheduler does not answer: {e.Message}");
        }
    }
}
