using Meg.Diffusion.Models;
using Meg.Diffusion.Pipeline;

namespace Meg.Diffusion.Tests;

public class ProviderReportTests
{
    [Fact]
    public void A_cpu_pipeline_reports_cpu_with_no_fallback()
    {
        using var pipeline = DiffusionPipeline.Load(RepositoryLayout.TestFixture("fp32-int64"));

        Assert.Equal("cpu", pipeline.RunsOn.Provider);
        Assert.Null(pipeline.RunsOn.FallbackReason);
        Assert.Equal("CPU", pipeline.RunsOn.Describe(pipeline.Options));
    }

    [Fact]
    public void Cuda_that_cannot_load_falls_back_to_cpu_reports_why_and_gives_the_cpu_image()
    {
        // The test build references the CPU runtime, where the CUDA provider never loads.
        var settings = new GenerationSettings { Steps = 3, Guidance = 2, RandomSeed = 5 };
        using var cpu = DiffusionPipeline.Load(RepositoryLayout.TestFixture("fp32-int64"));
        using var cuda = DiffusionPipeline.Load(RepositoryLayout.TestFixture("fp32-int64"), new ExecutionOptions { Provider = "cuda" });

        Assert.Equal("cpu", cuda.RunsOn.Provider);
        Assert.False(string.IsNullOrWhiteSpace(cuda.RunsOn.FallbackReason));
        Assert.StartsWith("CPU (CUDA could not load: ", cuda.RunsOn.Describe(cuda.Options));
        Assert.Equal(cpu.Generate("a red circle", null, settings), cuda.Generate("a red circle", null, settings));
    }

    [Fact]
    public void An_unknown_provider_is_refused_naming_the_ones_accepted()
    {
        var error = Assert.Throws<ArgumentException>(() => DiffusionPipeline.Load(RepositoryLayout.TestFixture("fp32-int64"), new ExecutionOptions { Provider = "tpu" }));

        Assert.Contains("use cpu or cuda", error.Message);
    }
}
