namespace Meg.Diffusion.Samplers;

/// <summary>
/// A stateless sampler: every method depends only on the step index, so denoising can stop after any
/// step and resume elsewhere (another node) with exactly the same result.
/// </summary>
public interface ISampler
{
    string Name { get; }

    /// <summary>Inference steps N.</summary>
    int Steps { get; }

    /// <summary>Training timestep passed to the UNet at step <paramref name="index"/> (0 = noisiest).</summary>
    int TimestepAt(int index);

    /// <summary>Scale of the pure noise a text-to-image run starts from.</summary>
    float InitialNoiseScale { get; }

    /// <summary>Scales the latent before it goes into the UNet at step <paramref name="index"/>.</summary>
    void ScaleModelInput(ReadOnlySpan<float> latent, Span<float> scaled, int index);

    /// <summary>One step: from the latent at step <paramref name="index"/> and the model output to the next latent, in place.</summary>
    void Step(Span<float> latent, ReadOnlySpan<float> modelOutput, int index);

    /// <summary>Noises a clean latent to the noise level of step <paramref name="index"/> (image-to-image start), in place.</summary>
    void AddNoise(Span<float> latent, ReadOnlySpan<float> noise, int index);
}
