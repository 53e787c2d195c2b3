using Meg.Distributed.Jobs;

namespace Meg.Distributed.IntegrationTests;

/// <summary>Two edge-server instances: cooperative plans hand the seed over, parallel plans spread the images.</summary>
[Trait("Category", "Slow")]
[Collection(DistributedAppCollection.Name)]
public sealed class MultiEdgeTests(DistributedAppFixture app)
{
    [Fact]
    public async Task UIDCG_hands_the_seed_from_one_instance_to_the_other_and_matches_the_executor()
    {
        var id = await app.SubmitAsync(GatewayJobTests.Request("UIDCG"));

        var status = await app.WaitForEndAsync(id);

        Assert.True(status.State == JobStates.Completed, status.Error);
        var denoising = status.Steps.Where(s => s.Kind == "stage" && s.Description.StartsWith("D[", StringComparison.Ordinal)).ToArray();
        // The scheduler places the two ES roles on the two instances, the heavier role on the less loaded one.
        Assert.Equal(["es-1", "es-2"], denoising.Select(s => s.Worker).Order());
        var handover = Assert.Single(status.Steps, s => s.Link == "BH" && s.Description.Contains("seed", StringComparison.Ordinal));
        Assert.Equal("ES1->ES2", handover.Node);
        Assert.True(handover.Index > denoising[0].Index && handover.Index < denoising[1].Index);
        Assert.Equal(GatewayJobTests.Reference(app.Pipeline, "UIDCG").Images[0], await app.ImageAsync(id));
    }

    [Fact]
    public async Task UIDG_spreads_the_images_over_both_instances()
    {
        var id = await app.SubmitAsync(GatewayJobTests.Request("UIDG"));

        var status = await app.WaitForEndAsync(id);

        Assert.True(status.State == JobStates.Completed, status.Error);
        Assert.Equal(2, status.Images);
        var decoders = status.Steps.Where(s => s.Kind == "stage" && s.Description.StartsWith('V')).ToArray();
        Assert.Equal(["es-1", "es-2"], decoders.Select(s => s.Worker).Order());
        var expected = GatewayJobTests.Reference(app.Pipeline, "UIDG");
        for (var share = 0; share < 2; share++)
        {
            Assert.Equal(expected.Images[share], await app.ImageAsync(id, share));
        }
    }

    [Theory]
    [InlineData("DIUG")]
    [InlineData("DSUC")]
    [InlineData("DCSUC")]
    public async Task The_other_multi_edge_plans_use_both_instances_and_match_the_executor(string protocol)
    {
        var id = await app.SubmitAsync(GatewayJobTests.Request(protocol));

        var status = await app.WaitForEndAsync(id);

        Assert.True(status.State == JobStates.Completed, status.Error);
        Assert.Contains(status.Steps, s => s.Kind == "stage" && s.Worker == "es-1");
        Assert.Contains(status.Steps, s => s.Kind == "stage" && s.Worker == "es-2");
        var expected = GatewayJobTests.Reference(app.Pipeline, protocol);
        Assert.Equal(expected.Plan.Steps.Count, status.Steps.Count);
        for (var share = 0; share < expected.Images.Count; share++)
        {
            Assert.Equal(expected.Images[share], await app.ImageAsync(id, share));
        }
    }
}
