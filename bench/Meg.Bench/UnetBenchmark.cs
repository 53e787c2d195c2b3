using Meg.Diffusion.Pipeline;

namespace Meg.Bench;

/// <summary>
/// One UNet evaluation through the engine (UNetModel.Predict: typed input creation, run, output copy)
/// against a bare InferenceSession.Run on the same inputs, at batch 1 and 8. Goal: ratio &lt;= 1.03.
/// </summary>
internal sealed class UnetBenchmark : IBenchmark
{
    public string Name => "unet";

    public string Description => "UNet step latency, engine vs bare session.Run, batch 1 and 8 [model folder]";

    public int Run(string[] args)
    {
        using var pipeline = DiffusionPipeline.Load(RepositoryLayout.LocateModel(args.FirstOrDefault()));
        var unet = pipeline.Unet;
        var session = unet.Session;
        var text = pipeline.EncodeText("a big red star at the top left on a blue background");
        int channels = unet.InputChannels, h = pipeline.LatentHeight, w = pipeline.LatentWidth;
        Console.WriteLine($"Model {pipeline.Folder.Root}: UNet input {channels}x{h}x{w}, context {text.Length}x{text.Width}, {Environment.ProcessorCount} cores");
        Console.WriteLine($"{"batch",5} {"bare ms",10} {"engine ms",10} {"ratio",7}");
        foreach (var batch in new[] { 1, 8 })
        {
            var inputs = new UnetInputs(pipeline, text, batch);
            double Bare() => Stopwatches.MedianSeconds(() => inputs.RunBare(session), warmups: 5, repetitions: 41);

            double Engine() => Stopwatches.MedianSeconds(
                () => unet.Predict(inputs.Sample, batch, h, w, UnetInputs.Timestep, inputs.Context, text.Length, text.Width), warmups: 5, repetitions: 41);

            // Interleave to spread the shared machine's noise over both.
            var bare = new List<double>();
            var engine = new List<double>();
            for (var round = 0; round < 3; round++)
            {
                bare.Add(Bare());
                engine.Add(Engine());
            }

            var b = bare.Order().ElementAt(1) * 1000;
            var e = engine.Order().ElementAt(1) * 1000;
            Console.WriteLine($"{batch,5} {b,10:0.000} {e,10:0.000} {e / b,7:0.000}");
        }

        return 0;
    }
}
