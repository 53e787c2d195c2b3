using System.Net;
using System.Net.Http.Json;
using Aspire.Hosting.ApplicationModel;

namespace Meg.Distributed.IntegrationTests;

/// <summary>With the scheduler down, the gateway answers 503 with Retry-After and problem details, not a bare 502.</summary>
[Trait("Category", "Slow")]
[Collection(DistributedAppCollection.Name)]
public sealed class SchedulerDownTests(DistributedAppFixture app)
{
    [Fact]
    public async Task A_submit_while_the_scheduler_is_down_gets_503_with_Retry_After()
    {
        var commands = app.App.ResourceCommands;
        await commands.ExecuteCommandAsync("scheduler", KnownResourceCommands.StopCommand, CancellationToken.None);
        try
        {
            using var response = await app.Gateway.PostAsJsonAsync("/api/jobs", GatewayJobTests.Request("CIAG"));

            Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
            Assert.True(response.Headers.RetryAfter?.Delta >= TimeSpan.FromSeconds(1));
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        }
        finally
        {
            await commands.ExecuteCommandAsync("scheduler", KnownResourceCommands.StartCommand, CancellationToken.None);
            await app.App.ResourceNotifications.WaitForResourceHealthyAsync("scheduler", CancellationToken.None).WaitAsync(TimeSpan.FromMinutes(2));
        }
    }
}
