using Meg.Diffusion.Pipeline;
using Microsoft.ML.OnnxRuntime;

namespace Meg.Bench;

/// <summary>
/// Fixed UNet inputs of one batch size for timing runs: a deterministic latent, the same text states on every row, and
/// timestep 501; <see cref="RunBare"/> is one bare <c>InferenceSession.Run</c> on them, without the engine's wrapping.
/// </summary>
internal sealed class UnetInputs
{
    public const int Timestep = 501;

    private readonly long[] _timesteps;
    private readonly TextConditioning _text;

    public UnetInputs(DiffusionPipeline pipeline, TextConditioning text, int batch)
    {
        (Batch, Channels, Height, Width, _text) = (batch, pipeline.Unet.InputChannels, pipeline.LatentHeight, pipeline.LatentWidth, text);
        Sample = new float[batch * Channels * Height * Width];
        for (var i = 0; i < Sample.Length; i++)
        {
            Sample[i] = (float)Math.Sin(i * 0.37);
        }

        Context = Enumerable.Range(0, batch).SelectMany(_ => text.Prompt).ToArray();
        _timesteps = Enumerable.Repeat((long)Timestep, batch).ToArray();
    }

    public int Batch { get; }

    public int Channels { get; }

    public int Height { get; }

    public int Width { get; }

    public float[] Sample { get; }

    /// <summary>The text states, one copy per row.</summary>
    public float[] Context { get; }

    public void RunBare(InferenceSession session)
    {
        using var s = OrtValue.CreateTensorValueFromMemory(Sample, [Batch, Channels, Height, Width]);
        using var t = OrtValue.CreateTensorValueFromMemory(_timesteps, [Batch]);
        using var c = OrtValue.CreateTensorValueFromMemory(Context, [Batch, _text.Length, _text.Width]);
        using var options = new RunOptions();
        using var results = session.Run(options, ["sample", "timestep", "encoder_hidden_states"], [s, t, c], ["out_sample"]);
    }
}
