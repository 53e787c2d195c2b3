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

    /// <summary>Predicts noise for a batch: <paramref name="sample"/> is [B, InputChannels, H, W].</summary>
    public float[] Predict(float[] sample, int batch, int height, int width, int timestep, float[] context, int contextLength, int contextWidth)
    {
        // Exports disagree on the timestep's shape: [B], [1] or a scalar.
        var timesteps = TimestepRank == 0 ? [timestep] : Enumerable.Repeat((long)timestep, batch).ToArray();
        long[] timestepShape = TimestepRank == 0 ? [] : [batch];
        if (TimestepRank == 1 && InputDimension(_timestep, 0) == 1 && batch != 1)
        {
            timesteps = [timestep];
            timestepShape = [1];
        }

        var outputs = Run(
            [
                (_sample, FloatInput(_sample, sample, [batch, InputChannels, height, width])),
                (_timestep, IntegerInput(_timestep, timesteps, timestepShape)),
                (_context, FloatInput(_context, context, [batch, contextLength, contextWidth])),
            ],
            _output);
        return outputs[0].Data;
    }
}
