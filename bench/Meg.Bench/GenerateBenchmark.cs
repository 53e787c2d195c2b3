using System.Diagnostics;
using Meg.Diffusion.Models;
using Meg.Diffusion.Pipeline;
using Meg.Imaging;

namespace Meg.Bench;

/// <summary>
/// Images per second for 20-step image-to-image (sketch-conditioned, guidance 4), batch 1 and batch 8, with ONNX
/// Runtime's threads spinning between the operators of a run (the engine's default) against not spinning at all (the
/// baseline, and the services' default), measured in turns in the same process.
/// </summary>
internal sealed class GenerateBenchmark : IBenchmark
{
    public string Name => "generate";

    public string Description => "images/s for 20-step image-to-image at batch 1 and 8, threads spinning within a run vs not [model folder]";

    public int Run(string[] args)
    {
        var folder = RepositoryLayout.LocateModel(args.FirstOrDefault());
        using var quiet = DiffusionPipeline.Load(folder, new ExecutionOptions { AllowSpinning = false });
        using var spinning = DiffusionPipeline.Load(folder, new ExecutionOptions { AllowSpinning = true });
        var settings = new GenerationSettings { Steps = 20, Guidance = 4, RandomSeed = 1 };
        var (width, height) = (spinning.ImageWidth, spinning.ImageHeight);
        var sketch = RgbImage.Create(width, height, (x, y) =>
            Math.Abs(x - width / 2) + Math.Abs(y - height / 2) == width / 4 ? new Rgb(0, 0, 0) : new Rgb(255, 255, 255));
        Console.WriteLine($"Model {spinning.Folder.Root}, {Environment.ProcessorCount} cores, 20 DDIM steps, guidance 4");
        Console.WriteLine($"{"batch",5} {"no spinning ms/image",21} {"spinning ms/image",18} {"ratio",7}");
        foreach (var batch in new[] { 1, 8 })
        {
            void Once(DiffusionPipeline pipeline)
            {
                var texts = Enumerable.Range(0, batch).Select(i => pipeline.EncodeText($"a big red star number {i}")).ToArray();
                var condition = pipeline.EncodeImage(sketch);
                var latents = Enumerable.Range(0, batch).Select(i => pipeline.InitialLatent(settings with { RandomSeed = (ulong)i + 1 }, condition)).ToArray();
                var final = pipeline.DenoiseBatch(latents, 0, settings.Steps, texts, Enumerable.Repeat<Latent?>(condition, batch).ToArray(), settings);
                foreach (var latent in final)
                {
                    pipeline.Decode(latent);
                }
            }

            double MsPerImage(DiffusionPipeline pipeline, int rounds)
            {
                var clock = Stopwatch.StartNew();
                for (var i = 0; i < rounds; i++)
                {
                    Once(pipeline);
                }

                return clock.Elapsed.TotalMilliseconds / (rounds * batch);
            }

            Once(quiet);
            Once(spinning);
            // In turns, so the shared machine's drift touches both alike; the median turn of each.
            var (off, on) = (new List<double>(), new List<double>());
            var perTurn = batch == 1 ? 4 : 1;
            for (var turn = 0; turn < 5; turn++)
            {
                off.Add(MsPerImage(quiet, perTurn));
                on.Add(MsPerImage(spinning, perTurn));
            }

            var (baseline, measured) = (MedianInterval.MedianOfSorted(off.Order().ToArray()), MedianInterval.MedianOfSorted(on.Order().ToArray()));
            Console.WriteLine($"{batch,5} {baseline,21:0.0} {measured,18:0.0} {measured / baseline,7:0.00}");
        }

        return 0;
    }
}
