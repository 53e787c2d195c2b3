using System.Globalization;
using Meg.Diffusion.Models;
using Meg.Diffusion.Pipeline;

namespace Meg.Bench;

/// <summary>
/// What batching can gain at most on this machine: the UNet's cost per row (one sample of one denoising step) at
/// several batch sizes, a bare <c>InferenceSession.Run</c> with a given number of ONNX Runtime threads, against the
/// first batch size (2 by default: one guided job, its caption and empty-caption rows). An edge server that batches
/// jobs cannot serve them faster than this ratio, whatever its batcher does; pin the process (taskset) to the cores
/// the threads should have.
/// </summary>
internal sealed class UnetRowsBenchmark : IBenchmark
{
    public string Name => "unet-rows";

    public string Description => "UNet ms per row by batch size, and the ratio to the first: batching's ceiling [--threads 1] [--batches 2,8,16,32] [model folder]";

    public int Run(string[] args)
    {
        var threads = 1;
        int[] batches = [2, 8, 16, 32];
        string? folder = null;
        for (var i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--threads" when i + 1 < args.Length && int.TryParse(args[i + 1], out var t) && t is >= 1 and <= 256:
                    threads = t;
                    i++;
                    break;
                case "--batches" when i + 1 < args.Length && TryBatches(args[i + 1], out var b):
                    batches = b;
                    i++;
                    break;
                case var a when !a.StartsWith("--", StringComparison.Ordinal) && folder is null:
                    folder = a;
                    break;
                default:
                    var value = i + 1 < args.Length && args[i] is "--threads" or "--batches" ? $" {args[i + 1]}" : "";
                    Console.Error.WriteLine($"unet-rows: bad option '{args[i]}{value}'; use --threads N (1-256), --batches B,B,... (each 1-256), and a model folder.");
                    return 2;
            }
        }

        using var pipeline = DiffusionPipeline.Load(RepositoryLayout.LocateModel(folder), new ExecutionOptions { IntraOpThreads = threads, AllowSpinning = true });
        var unet = pipeline.Unet;
        var session = unet.Session;
        var text = pipeline.EncodeText("a big red star at the top left on a blue background");
        int channels = unet.InputChannels, h = pipeline.LatentHeight, w = pipeline.LatentWidth;
        Console.WriteLine($"Model {pipeline.Folder.Root}: UNet input {channels}x{h}x{w}, {threads} ONNX Runtime thread(s), {Environment.ProcessorCount} cores visible");

        double PerRowMs(int batch)
        {
            var inputs = new UnetInputs(pipeline, text, batch);
            return Stopwatches.MedianSeconds(() => inputs.RunBare(session), warmups: 3, repetitions: Math.Max(9, 96 / batch)) * 1000 / batch;
        }

        // Three rounds over every batch size, in turns, so the shared machine's drift falls on all of them; the middle
        // round's value per size.
        var rounds = batches.ToDictionary(b => b, _ => new List<double>());
        for (var round = 0; round < 3; round++)
        {
            foreach (var batch in batches)
            {
                rounds[batch].Add(PerRowMs(batch));
            }
        }

        var first = rounds[batches[0]].Order().ElementAt(1);
        Console.WriteLine($"{"batch",5} {"ms/row",8} {"rows/s",8} {"ratio to batch " + batches[0],18}");
        foreach (var batch in batches)
        {
            var ms = rounds[batch].Order().ElementAt(1);
            Console.WriteLine($"{batch,5} {ms,8:0.000} {1000 / ms,8:0.0} {first / ms,18:0.00}");
        }

        return 0;
    }

    private static bool TryBatches(string text, out int[] batches)
    {
        batches = [];
        var parts = text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var parsed = new List<int>();
        foreach (var part in parts)
        {
            if (!int.TryParse(part, NumberStyles.None, CultureInfo.InvariantCulture, out var b) || b is < 1 or > 256)
            {
                return false;
            }

            parsed.Add(b);
        }

        batches = [.. parsed.Distinct()];
        return batches.Length > 0;
    }
}
