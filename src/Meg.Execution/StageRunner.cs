using System.Diagnostics;
using Meg.Diffusion.Batching;
using Meg.Diffusion.Pipeline;
using Meg.Imaging;
using Meg.Protocols.Plans;

namespace Meg.Execution;

/// <summary>
/// Runs one plan stage on one node's memory with the model. The in-process executor and the services
/// both call this, so there is one pipeline, whatever carries the payloads between nodes. Its model calls go through
/// <see cref="IModelCalls"/>: at once (<see cref="DirectModelCalls"/>) or batched with other jobs' (<see cref="ModelBatcher"/>).
/// </summary>
public sealed class StageRunner(IModelCalls calls)
{
    /// <summary>Completion noise must differ from the first pass's noise while following from the same seed.</summary>
    private const ulong CompletionRandomSeedOffset = 0x9E3779B97F4A7C15UL;

    public StageRunner(DiffusionPipeline pipeline) : this(new DirectModelCalls(pipeline))
    {
    }

    public DiffusionPipeline Pipeline => calls.Pipeline;

    /// <summary>Checks that the plan was built for this model and these settings.</summary>
    public void RequireCompatible(ProtocolPlan plan, GenerationRequest request)
    {
        var s = request.Settings.Validate();
        if (plan.TotalSteps != s.Steps || plan.StartStep != s.StartStep)
        {
            throw new ArgumentException(
                $"Plan '{plan.Name}' was built for {plan.TotalSteps} steps from step {plan.StartStep}, but the request asks for {s.Steps} steps from step {s.StartStep}.");
        }

        if (plan.SketchConditioned != Pipeline.SketchConditioned)
        {
            throw new ArgumentException(
                $"Plan '{plan.Name}' assumes a {(plan.SketchConditioned ? "sketch-conditioned" : "plain")} UNet, but the model's UNet is {(Pipeline.SketchConditioned ? "sketch-conditioned" : "plain")}.");
        }
    }

    /// <summary>Runs <paramref name="stage"/> and returns how long it took.</summary>
    public TimeSpan Run(Stage stage, ProtocolPlan plan, NodeMemory memory, GenerationRequest request, TransmissionOptions options) =>
        RunAsync(stage, plan, memory, request, options).GetAwaiter().GetResult();

    /// <summary>Runs <paramref name="stage"/> and returns how long it took (with a batcher: including its wait for a batch).</summary>
    public async Task<TimeSpan> RunAsync(Stage stage, ProtocolPlan plan, NodeMemory memory, GenerationRequest request, TransmissionOptions options,
        CancellationToken cancellationToken = default)
    {
        var clock = Stopwatch.StartNew();
        switch (stage.Kind)
        {
            case StageKind.TextEncode:
                memory.Put(Artifact.TextEmbedding, await calls.EncodeTextAsync(memory.Get<string>(Artifact.Prompt), cancellationToken));
                break;
            case StageKind.VaeEncode:
                memory.Put(Artifact.InputLatent, await calls.EncodeImageAsync(memory.Get<RgbImage>(Artifact.InputImage), cancellationToken));
                break;
            case StageKind.Denoise:
                await DenoiseAsync(stage, plan, memory, request, cancellationToken);
                break;
            case StageKind.VaeDecode:
                var latentArtifact = Artifact.LatentAt(plan.TotalSteps, stage.Share);
                var robust = options.RobustDecoder && Pipeline.HasRobustDecoder && memory.ArrivedOverAir(latentArtifact);
                memory.Put(Artifact.ImageOf(stage.Share), await calls.DecodeAsync(memory.Get<Latent>(latentArtifact), robust, cancellationToken));
                break;
            case StageKind.MakeSketch:
                var image = memory.Get<RgbImage>(Artifact.ImageOf(stage.Share));
                var (w, h) = SketchSize(image.Width, image.Height, stage.SketchSide);
                memory.Put(Artifact.SketchOf(stage.Share, stage.SketchSide), image.Resize(w, h, ResizeMode.Area));
                break;
            case StageKind.CompleteSketch:
                await CompleteAsync(stage, plan, memory, request, cancellationToken);
                break;
            default:
                throw new InvalidOperationException($"Stage kind {stage.Kind} has no runner.");
        }

        return clock.Elapsed;
    }

    /// <summary>Width and height of a sketch whose long side is <paramref name="side"/> pixels.</summary>
    public static (int Width, int Height) SketchSize(int width, int height, int side)
    {
        var longSide = Math.Max(width, height);
        return (Math.Max(1, (int)Math.Round((double)side * width / longSide)), Math.Max(1, (int)Math.Round((double)side * height / longSide)));
    }

    private async Task DenoiseAsync(Stage stage, ProtocolPlan plan, NodeMemory memory, GenerationRequest request, CancellationToken cancellationToken)
    {
        var settings = request.SettingsOf(stage.Share);
        var text = memory.Get<TextConditioning>(Artifact.TextEmbedding);
        var inputLatent = memory.Has(Artifact.InputLatent) ? memory.Get<Latent>(Artifact.InputLatent) : null;
        var latent = stage.FromStep == plan.StartStep
            ? Pipeline.InitialLatent(settings, inputLatent)
            : memory.Get<Latent>(Artifact.LatentAt(stage.FromStep, stage.Share));
        var item = Pipeline.NewDenoiseItem(latent, stage.FromStep, stage.ToStep, text, inputLatent, settings);
        memory.Put(Artifact.LatentAt(stage.ToStep, stage.Share), await calls.DenoiseAsync(item, cancellationToken));
    }

    private async Task CompleteAsync(Stage stage, ProtocolPlan plan, NodeMemory memory, GenerationRequest request, CancellationToken cancellationToken)
    {
        // C = T, E(sketch upscaled), noise to step j, D[j, N), V; conditioned on the node's own input image when it has one.
        var settings = request.SettingsOf(stage.Share);
        var sketch = memory.Get<RgbImage>(Artifact.SketchOf(stage.Share, stage.SketchSide));
        var text = memory.Has(Artifact.TextEmbedding)
            ? memory.Get<TextConditioning>(Artifact.TextEmbedding)
            : await calls.EncodeTextAsync(memory.Get<string>(Artifact.Prompt), cancellationToken);
        var upscaled = sketch.Resize(Pipeline.ImageWidth, Pipeline.ImageHeight, ResizeMode.Bilinear);
        var start = Pipeline.NoiseTo(await calls.EncodeImageAsync(upscaled, cancellationToken), stage.CompletionStartStep, settings,
            settings.RandomSeed + CompletionRandomSeedOffset);
        Latent? condition = null;
        if (Pipeline.SketchConditioned && stage.UseInputAsCondition)
        {
            condition = memory.Has(Artifact.InputLatent)
                ? memory.Get<Latent>(Artifact.InputLatent)
                : await calls.EncodeImageAsync(memory.Get<RgbImage>(Artifact.InputImage), cancellationToken);
        }

        var item = Pipeline.NewDenoiseItem(start, stage.CompletionStartStep, plan.TotalSteps, text, condition, settings);
        memory.Put(Artifact.ImageOf(stage.Share), await calls.DecodeAsync(await calls.DenoiseAsync(item, cancellationToken), false, cancellationToken));
    }
}
