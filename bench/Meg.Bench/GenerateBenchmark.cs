using System.Diagnostics;
using Meg.Diffusion.Pipeline;
using Meg.Imaging;

namespace Meg.Bench;

/// <summary>Images per second for 20-step image-to-image (sketch-conditioned, guidance 4), batch 1 and batch 8.</summary>
internal sealed class GenerateBenchmark : IBenchmark
{
    public string Name => "generate";

    public string Description => "images/s for 20-step image-to-image at batch 1 and 8 [model folder]";

    public int Run(string[] args)
    {
        using var pipeline = DiffusionPipeline.Load(BenchModel.Resolve(args));
        var settings = new GenerationSettings { Steps = 20, Guidance = 4, Seed = 1 };
        var sketch = RgbImage.Create(pipeline.ImageWidth, pipeline.ImageHeight, (x, y) =>
            Math.Abs(x - pipeline.ImageWidth / 2) + Math.Abs(y - pipeline.ImageHeight / 2) == pipeline.ImageWidth / 4 ? new Rgb(0, 0, 0) : new Rgb(255, 255, 255));
        Console.WriteLine($"Model {pipeline.Folder.Root}, {Environment.ProcessorCount} cores, 20 DDIM steps, guidance 4");
        foreach (var batch in new[] { 1, 8 })
        {
            void Once()
            {
                var texts = Enumerable.Range(0, batch).Select(i => pipeline.EncodeText($"a big red star number {i}")).ToArray();
                var condition = pipeline.EncodeImage(sketch);
                var latents = Enumerable.Range(0, batch).Select(i => pipeline.InitialLatent(settings with { Seed = (ulong)i + 1 }, condition)).ToArray();
                var final = pipeline.DenoiseBatch(latents, 0, settings.Steps, texts, Enumerable.Repeat<Latent?>(condition, batch).ToArray(), settings);
                foreach (var latent in final)
                {
                    pipeline.Decode(latent);
                }
            }

            Once();
            var clock = Stopwatch.StartNew();
            var rounds = batch == 1 ? 10 : 3;
            for (var i = 0; i < rounds; i++)
            {
                Once();
            }

            var perImage = clock.Elapsed.TotalSeconds / (rounds * batch);
            Console.WriteLine($"batch {batch}: {1 / perImage:0.00} images/s ({perImage * 1000:0} ms per image)");
        }

        return 0;
    }
}
