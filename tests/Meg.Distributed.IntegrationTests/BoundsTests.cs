using System.Text.Json;
using Meg.Distributed.Jobs;

namespace Meg.Distributed.IntegrationTests;

/// <summary>Every documented bound of a job request works at its edge: a job at the edge completes.</summary>
[Trait("Category", "Slow")]
[Collection(DistributedAppCollection.Name)]
public sealed class BoundsTests(DistributedAppFixture app)
{
    [Theory]
    [InlineData("steps", 1.0)]
    [InlineData("steps", 999.0)]
    [InlineData("guidance", 1.0)]
    [InlineData("guidance", 50.0)]
    [InlineData("strength", 0.01)]
    [InlineData("strength", 1.0)]
    [InlineData("snrDb", -50.0)]
    [InlineData("snrDb", 100.0)]
    public async Task A_job_at_the_edge_of_a_bound_completes(string field, double value)
    {
        var request = JsonSerializer.SerializeToNode(GatewayJobTests.Request("Centralized", steps: 2))!.AsObject();
        request["channel"] = "awgn";
        request[field] = field == "steps" ? (int)value : value;

        var status = await app.WaitForEndAsync(await app.SubmitAsync(request));

        Assert.True(status.State == JobStates.Completed, $"{field} = {value}: {status.Error}");
    }
}
