using Meg.Diffusion.Pipeline;
using Meg.Imaging;
using Meg.Protocols.BuiltIn;
using Meg.Protocols;
using Meg.Quality;

namespace Meg.Execution.Tests;

/// <summary>The executor on the shipped model and a held-out scene.</summary>
[Trait("Category", "Slow")]
public sealed class ShippedModelExecutorTests : IDisposable
{
    /// <summary>Sketch plans regenerate the image from a 16-pixel sketch, so they are close to, not equal to,
    /// the monolithic image; this is the floor measured on the shipped model (observed values are printed on failure).</summary>
    private const double SketchPlanSsimFloor = 0.5;

    private readonly DiffusionPipeline _pipeline = DiffusionPipeline.Load(RepositoryLayout.ShippedModel);
    private readonly PlanExecutor _executor;
    private readonly GenerationRequest _request;

    public ShippedModelExecutorTests()
    {
        _executor = new PlanExecutor(_pipeline);
        var eval = Path.Combine(RepositoryLayout.ShippedModel, "eval");
        var caption = System.Text.Json.JsonDocument.Parse(File.ReadAllText(Path.Combine(eval, "items.json")))
            .RootElement.GetProperty("items")[0].GetProperty("caption").GetString()!;
        _request = new GenerationRequest(caption, PngCodec.ReadFile(Path.Combine(eval, "000_sketch.png")), new GenerationSettings { Steps = 20, Guidance = 4, RandomSeed = 3 });
    }

    [Fact]
    public void The_shipped_model_has_the_dimensions_the_protocol_table_assumes()
    {
        var dims = ModelDimensions.MegTiny;

        Assert.Equal((dims.ImageWidth, dims.ImageHeight, dims.VaeFactor, dims.LatentChannels), (_pipeline.ImageWidth, _pipeline.ImageHeight, _pipeline.VaeFactor, _pipeline.LatentChannels));
        Assert.Equal(dims.SketchConditioned, _pipeline.SketchConditioned);
        Assert.Equal(dims.TextLength, _pipeline.Tokenizer.MaxLength);
        Assert.True(_pipeline.HasRobustDecoder);
    }

    [Theory]
    [InlineData("Centralized")]
    [InlineData("UIEG")]
    [InlineData("EIUG")]
    [InlineData("CIAG")]
    [InlineData("UIDCG")]
    public void Seed_plans_reproduce_the_monolithic_image_bit_for_bit(string protocol)
    {
        var plan = ProtocolCatalog.Build(protocol, new PlanParameters { TotalSteps = 20 });

        var result = _executor.Run(plan, _request, TransmissionOptions.Noiseless);

        Assert.Equal(_executor.RunMonolithic(_request), result.Images[0]);
    }

    [Theory]
    [InlineData("ESUC")]
    [InlineData("DSUC")]
    [InlineData("DCSUC")]
    public void Sketch_plans_stay_close_to_the_monolithic_image(string protocol)
    {
        var plan = ProtocolCatalog.Build(protocol, new PlanParameters { TotalSteps = 20 });

        var result = _executor.Run(plan, _request, TransmissionOptions.Noiseless);

        var ssim = Ssim.Compute(_executor.RunMonolithic(_request), result.Images[0]);
        Assert.True(ssim >= SketchPlanSsimFloor, $"{protocol}: SSIM {ssim:0.000} to the monolithic image");
    }

    public void Dispose() => _pipeline.Dispose();
}
