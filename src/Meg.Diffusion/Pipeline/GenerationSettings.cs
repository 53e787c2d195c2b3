using Meg.Diffusion.Samplers;

namespace Meg.Diffusion.Pipeline;

/// <summary>How one image is generated. Every random draw follows from <see cref="RandomSeed"/>.</summary>
public sealed record GenerationSettings
{
    public int Steps { get; init; } = 20;

    /// <summary>Classifier-free guidance scale; 1 runs the UNet once per step without the empty prompt.</summary>
    public double Guidance { get; init; } = 4;

    /// <summary>Image-to-image strength in (0, 1]: denoising starts at step N - floor(N * strength).
    /// A sketch-conditioned model keeps 1 and takes the sketch as its condition instead.</summary>
    public double Strength { get; init; } = 1;

    public ulong RandomSeed { get; init; } = 1;

    public string Sampler { get; init; } = "ddim";

    public int StartStep => Steps - (int)Math.Floor(Steps * Strength);

    /// <summary>Throws <see cref="ArgumentException"/> naming the field and the accepted range.</summary>
    public GenerationSettings Validate()
    {
        if (Steps is < 1 or > 1000)
        {
            throw new ArgumentException($"Steps must be from 1 to 1000; got {Steps}.", nameof(Steps));
        }

        if (!double.IsFinite(Guidance) || Guidance is < 1 or > 50)
        {
            throw new ArgumentException($"Guidance must be from 1 to 50; got {Guidance}.", nameof(Guidance));
        }

        if (!double.IsFinite(Strength) || Strength is <= 0 or > 1 || StartStep >= Steps)
        {
            throw new ArgumentException($"Strength must be in (0, 1] and leave at least one step; got {Strength}.", nameof(Strength));
        }

        if (!SamplerFactory.Names.Contains(Sampler.ToLowerInvariant()))
        {
            throw new ArgumentException($"Sampler must be one of {string.Join(", ", SamplerFactory.Names)}; got '{Sampler}'.", nameof(Sampler));
        }

        return this;
    }
}
