using Meg.Diffusion.Pipeline;
using Meg.Imaging;
using Meg.Quality;

namespace Meg.Diffusion.Tests;

public class EngineFixtureTests
{
    private static RgbImage Sketch(int size) =>
        RgbImage.Create(size, size, (x, y) => (x - size / 2) * (x - size / 2) + (y - size / 2) * (y - size / 2) < size * size / 9
            ? new Rgb(0, 0, 0)
            : new Rgb(255, 255, 255));

    [Theory]
    [InlineData("fp32-int64")]
    [InlineData("fp32-sketch-conditioned")]
    [InlineData("fp16-float-timestep-int32-ids")]
    [InlineData("fp32-int32-timestep")]
    public void Every_export_variant_loads_and_generates_deterministically(string fixture)
    {
        using var pipeline = DiffusionPipeline.Load(RepositoryLayout.TestFixture(fixture));
        var settings = new GenerationSettings { Steps = 6, Guidance = 3, RandomSeed = 7 };

        var first = pipeline.Generate("a red circle", Sketch(pipeline.ImageWidth), settings);
        var again = pipeline.Generate("a red circle", Sketch(pipeline.ImageWidth), settings);
        var otherSeed = pipeline.Generate("a red circle", Sketch(pipeline.ImageWidth), settings with { RandomSeed = 8 });

        Assert.Equal(32, first.Width);
        Assert.Equal(first, again);
        Assert.NotEqual(first, otherSeed);
    }

    [Fact]
    public void The_engine_reads_sketch_conditioning_from_the_unets_input_channels()
    {
        using var plain = DiffusionPipeline.Load(RepositoryLayout.TestFixture("fp32-int64"));
        using var conditioned = DiffusionPipeline.Load(RepositoryLayout.TestFixture("fp32-sketch-conditioned"));

        Assert.False(plain.SketchConditioned);
        Assert.True(conditioned.SketchConditioned);
        Assert.Equal(8, conditioned.Unet.InputChannels);
    }

    [Theory]
    [InlineData("fp32-int64", 1.0)]
    [InlineData("fp32-int64", 0.6)]
    [InlineData("fp32-sketch-conditioned", 1.0)]
    public void Stages_run_one_after_another_give_exactly_the_image_of_one_whole_call(string fixture, double strength)
    {
        using var pipeline = DiffusionPipeline.Load(RepositoryLayout.TestFixture(fixture));
        var settings = new GenerationSettings { Steps = 10, Guidance = 4, RandomSeed = 42, Strength = strength };
        var sketch = Sketch(pipeline.ImageWidth);
        var whole = pipeline.Generate("a big blue star", sketch, settings);

        // As a split plan would: T and E on one node, three denoising chunks on others, V on the last.
        var text = pipeline.EncodeText("a big blue star");
        var input = pipeline.EncodeImage(sketch);
        var condition = pipeline.SketchConditioned ? input : null;
        var latent = pipeline.InitialLatent(settings, input);
        var start = settings.StartStep;
        latent = pipeline.Denoise(latent, start, start + 2, text, condition, settings);
        latent = pipeline.Denoise(latent, start + 2, 8, text, condition, settings);
        latent = pipeline.Denoise(latent, 8, 10, text, condition, settings);
        var split = pipeline.Decode(latent);

        Assert.Equal(whole, split);
    }

    [Fact]
    public void A_float16_export_gives_nearly_the_image_of_the_float32_export()
    {
        using var fp32 = DiffusionPipeline.Load(RepositoryLayout.TestFixture("fp32-int64"));
        using var fp16 = DiffusionPipeline.Load(RepositoryLayout.TestFixture("fp16-float-timestep-int32-ids"));
        var settings = new GenerationSettings { Steps = 5, Guidance = 2, RandomSeed = 3 };

        var a = fp32.Generate("a green square", Sketch(32), settings);
        var b = fp16.Generate("a green square", Sketch(32), settings);

        Assert.True(Psnr.Compute(a, b) > 30, $"fp16 vs fp32 PSNR {Psnr.Compute(a, b):0.0} dB");
    }

    [Fact]
    public void An_image_of_the_wrong_size_is_rejected_naming_both_sizes()
    {
        using var pipeline = DiffusionPipeline.Load(RepositoryLayout.TestFixture("fp32-int64"));

        var error = Assert.Throws<ArgumentException>(() => pipeline.EncodeImage(new RgbImage(40, 32)));

        Assert.Contains("40x32", error.Message);
        Assert.Contains("32x32", error.Message);
    }

    [Fact]
    public void A_missing_model_folder_part_is_named()
    {
        var folder = Directory.CreateTempSubdirectory("meg-model-").FullName;
        try
        {
            var error = Assert.Throws<FileNotFoundException>(() => DiffusionPipeline.Load(folder));

            Assert.Contains("unet", error.Message);
            Assert.Contains("vae_decoder", error.Message);
        }
        finally
        {
            Directory.Delete(folder, true);
        }
    }

    [Fact]
    public void Out_of_range_settings_name_the_field()
    {
        var error = Assert.Throws<ArgumentException>(() => new GenerationSettings { Guidance = 0.5 }.Validate());

        Assert.Equal("Guidance", error.ParamName);
    }
}

public class BatchDenoiseTests
{
    [Fact]
    public void Denoising_a_batch_matches_denoising_each_latent_alone()
    {
        using var pipeline = DiffusionPipeline.Load(RepositoryLayout.TestFixture("fp32-sketch-conditioned"));
        var settings = new GenerationSettings { Steps = 6, Guidance = 3, RandomSeed = 1 };
        var prompts = new[] { "a red circle", "a blue square", "a big green star" };
        var texts = prompts.Select(pipeline.EncodeText).ToArray();
        var latents = prompts.Select((_, i) => pipeline.InitialLatent(settings with { RandomSeed = (ulong)i + 1 }, null)).ToArray();
        var sketch = pipeline.EncodeImage(RgbImage.Filled(32, 32, new Rgb(255, 255, 255)));
        var conditions = new Latent?[] { sketch, null, sketch };

        var batched = pipeline.DenoiseBatch(latents, 0, 6, texts, conditions, settings);

        for (var i = 0; i < prompts.Length; i++)
        {
            var alone = pipeline.Denoise(latents[i], 0, 6, texts[i], conditions[i], settings);
            var diff = alone.Data.Zip(batched[i].Data, (a, b) => Math.Abs(a - b)).Max();
            Assert.True(diff < 1e-4, $"item {i}: max difference {diff}");
        }
    }
}
