using Meg.Diffusion.Samplers;

namespace Meg.Diffusion.Pipeline;

/// <summary>
/// One latent being denoised: where it is (<see cref="Step"/>) and where it stops (<see cref="ToStep"/>), with its own
/// text, sketch condition, sampler and guidance. Items of different jobs share a UNet call at each step whatever their
/// steps, prompts or guidance (<see cref="DenoiseStep"/>).
/// </summary>
public sealed class DenoiseItem
{
    public DenoiseItem(Latent latent, int fromStep, int toStep, TextConditioning text, Latent? condition, GenerationSettings settings, ISampler sampler,
        IProgress<int>? progress = null)
    {
        settings.Validate();
        // Not tied to StartStep: sketch completion starts its own image-to-image pass at a later step.
        if (fromStep < 0 || toStep <= fromStep || toStep > settings.Steps)
        {
            throw new ArgumentOutOfRangeException(nameof(fromStep), $"Steps [{fromStep},{toStep}) must lie in [0,{settings.Steps}].");
        }

        if (condition is not null && condition.Length != latent.Length)
        {
            throw new ArgumentException($"The condition latent has {condition.Length} values; the latent has {latent.Length}.", nameof(condition));
        }

        Latent = latent.Copy();
        Step = fromStep;
        ToStep = toStep;
        Text = text;
        Condition = condition;
        Settings = settings;
        Sampler = sampler;
        Progress = progress;
    }

    /// <summary>The latent at <see cref="Step"/>, updated in place as steps run.</summary>
    public Latent Latent { get; }

    public int Step { get; private set; }

    public int ToStep { get; }

    public TextConditioning Text { get; }

    public Latent? Condition { get; }

    public GenerationSettings Settings { get; }

    public ISampler Sampler { get; }

    public IProgress<int>? Progress { get; }

    /// <summary>With guidance the item takes two UNet rows (empty prompt, prompt); without, one.</summary>
    public bool Guided => Settings.Guidance > 1;

    public int Rows => Guided ? 2 : 1;

    public bool Done => Step >= ToStep;

    public int Timestep => Sampler.TimestepAt(Step);

    /// <summary>Applies the UNet's output for this item (its rows, guided) and moves on a step.</summary>
    internal void Advance(ReadOnlySpan<float> noise)
    {
        Sampler.Step(Latent.Data, noise, Step);
        Step++;
        Progress?.Report(Step);
    }
}
