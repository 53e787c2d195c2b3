using System.Net;
using System.Net.Http.Json;

namespace Meg.Distributed.IntegrationTests;

/// <summary>With the scheduler down, the gateway answers 503 with Retry-After and problem details, not a bare 502, and
/// its own /health says it cannot serve.</summary>
[Trait("Category", "Slow")]
[Collection(DistributedAppCollection.Name)]
public sealed class SchedulerDownTests(DistributedAppFixture app)
{
    [Fact]
    public async Task A_submit_while_the_scheduler_is_down_gets_503_with_Retry_After()
    {
        await app.StopAsync("scheduler");
        try
        {
            using var response = await app.Gateway.PostAsJsonAsync("/api/jobs", GatewayJobTests.Request("CIAG"));

            Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
            Assert.True(response.Headers.RetryAfter?.Delta >= TimeSpan.FromSeconds(1));
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            using var health = await app.Gateway.GetAsync("/health");
            Assert.Equal(HttpStatusCode.ServiceUnavailable, health.StatusCode);
        }
        finally
        {
            await app.StartAsync("scheduler");
        }
    }
}
