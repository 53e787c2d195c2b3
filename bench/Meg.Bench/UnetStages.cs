using System.Diagnostics;
using Meg.Diffusion.Pipeline;
using Meg.Imaging;

namespace Meg.Bench;

/// <summary>The UNet's work of one CIAG request with fixed inputs, stage by stage, on a pipeline the caller loaded (with
/// the model hosts' options): per-step times of a stage.</summary>
internal sealed class UnetStages
{
    public const int Steps = 20;

    /// <summary>CIAG's denoising stages with its default shares: the UE's first quarter, ES1's half, the UE's last quarter.</summary>
    public static readonly (int From, int To)[] Ciag = [(0, 5), (5, 15), (15, 20)];

    private readonly DiffusionPipeline _pipeline;
    private readonly GenerationSettings _settings = new() { Steps = Steps, Guidance = 4, RandomSeed = 1 };
    private readonly TextConditioning _text;
    private readonly Latent _condition;

    public UnetStages(DiffusionPipeline pipeline)
    {
        _pipeline = pipeline;
        var (w, h) = (pipeline.ImageWidth, pipeline.ImageHeight);
        _text = pipeline.EncodeText("a big red star at the top left on a blue background");
        _condition = pipeline.EncodeImage(RgbImage.Create(w, h, (x, y) => Math.Abs(x - w / 2) + Math.Abs(y - h / 2) == w / 4 ? new Rgb(0, 0, 0) : new Rgb(255, 255, 255)));
    }

    /// <summary>Milliseconds of each denoising step of <paramref name="stage"/>.</summary>
    public double[] Stage((int From, int To) stage)
    {
        var times = new double[stage.To - stage.From];
        var last = Stopwatch.GetTimestamp();
        _pipeline.Denoise(_pipeline.InitialLatent(_settings, _condition), stage.From, stage.To, _text, _condition, _settings, new StepClock(step =>
        {
            var now = Stopwatch.GetTimestamp();
            times[step - 1 - stage.From] = Stopwatch.GetElapsedTime(last, now).TotalMilliseconds;
            last = now;
        }));
        return times;
    }

    /// <summary>CIAG's first stage, then <paramref name="pause"/> with the UNet idle (as the UE waits while ES1 works), then
    /// its last stage: the last stage's per-step times.</summary>
    public double[] LastAfterPause(TimeSpan pause)
    {
        Stage(Ciag[0]);
        Thread.Sleep(pause);
        return Stage(Ciag[^1]);
    }

    /// <summary>Reports on the denoising thread itself (Progress&lt;T&gt; would post to the thread pool).</summary>
    private sealed class StepClock(Action<int> stepDone) : IProgress<int>
    {
        public void Report(int value) => stepDone(value);
    }
}
