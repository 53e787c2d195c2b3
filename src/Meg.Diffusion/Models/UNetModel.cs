using Microsoft.ML.OnnxRuntime;

namespace Meg.Diffusion.Models;

/// <summary>
/// (sample, timestep, encoder_hidden_states) -> noise prediction. A UNet whose sample has twice the latent
/// channels is sketch-conditioned: the encoded sketch is concatenated to the noisy latent at every step
/// (the InstructPix2Pix layout).
/// </summary>
public sealed class UNetModel : OnnxModelPart
{
    private readonly string _sample;
    private readonly string _timestep;
    private readonly string _context;
    private readonly string _output;

    public UNetModel(InferenceSession session, int latentChannels) : base(session)
    {
        _sample = RequireInput("sample");
        _timestep = RequireInput("timestep", "timesteps", "t");
        _context = RequireInput("encoder_hidden_states");
        _output = RequireOutput("out_sample");
        InputChannels = InputDimension(_sample, 1);
        if (InputChannels <= 0)
        {
            InputChannels = latentChannels;
        }

        if (InputChannels != latentChannels && InputChannels != 2 * latentChannels)
        {
            throw new InvalidDataException($"UNet sample has {InputChannels} channels; expected {latentChannels} (plain) or {2 * latentChannels} (sketch-conditioned).");
        }

        LatentChannels = latentChannels;
        TimestepRank = session.InputMetadata[_timestep].Dimensions.Length;
    }

    public int InputChannels { get; }

    public int LatentChannels { get; }

    /// <summary>True when the UNet takes the sketch latent beside the noisy latent.</summary>
    public bool SketchConditioned => InputChannels == 2 * LatentChannels;

    private int TimestepRank { get; }

    /// <summary>True when each sample of a batch may have its own timestep (a [B] timestep input), which step-level
    /// batching of different jobs needs; otherwise one call takes one timestep for the whole batch.</summary>
    public bool PerSampleTimesteps => TimestepRank == 1 && InputDimension(_timestep, 0) != 1;

    /// <summary>Predicts noise for a batch: <paramref name="sample"/> is [B, InputChannels, H, W], all at one timestep.</summary>
    public float[] Predict(float[] sample, int batch, int height, int width, int timestep, float[] context, int contextLength, int contextWidth) =>
        Predict(sample, batch, height, width, Enumerable.Repeat(timestep, batch).ToArray(), context, contextLength, contextWidth);

    /// <summary>Predicts noise for a batch whose samples may be at different timesteps (one per sample; they must all be
    /// equal unless <see cref="PerSampleTimesteps"/>).</summary>
    public float[] Predict(float[] sample, int batch, int height, int width, IReadOnlyList<int> timesteps, float[] context, int contextLength, int contextWidth)
    {
        if (timesteps.Count != batch)
        {
            throw new ArgumentException($"One timestep per sample: got {timesteps.Count} for a batch of {batch}.", nameof(timesteps));
        }

        long[] values;
        long[] shape;
        if (PerSampleTimesteps)
        {
            values = timesteps.Select(t => (long)t).ToArray();
            shape = [batch];
        }
        else
        {
            // Exports disagree on the timestep's shape: [B] (fixed at 1), [1] or a scalar; these take one for all.
            if (timesteps.Any(t => t != timesteps[0]))
            {
                throw new ArgumentException("This UNet takes one timestep per call; a batch at different timesteps needs a [batch] timestep input.", nameof(timesteps));
            }

            values = [timesteps[0]];
            shape = TimestepRank == 0 ? [] : [1];
        }

        var outputs = Run(
            [
                (_sample, FloatInput(_sample, sample, [batch, InputChannels, height, width])),
                (_timestep, IntegerInput(_timestep, values, shape)),
                (_context, FloatInput(_context, context, [batch, contextLength, contextWidth])),
            ],
            _output);
        return outputs[0].Data;
    }
}
