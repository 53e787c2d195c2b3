using Meg.Channel.Digital;

namespace Meg.Protocols.Costs;

/// <summary>How payloads are sized when a plan is costed without running it.</summary>
public sealed record AccountingOptions
{
    /// <summary>UTF-8 bytes of the prompt (the table uses a typical caption length).</summary>
    public int PromptBytes { get; init; } = 64;

    /// <summary>Bits per latent value when a seed is counted in bits: 32 (float32), 16 (float16) or 8.</summary>
    public int SeedBitsPerValue { get; init; } = 32;

    /// <summary>The prompt always travels digitally; this is its spectral efficiency in information bits per channel use
    /// (1 = rate-1/2 coded QPSK, what the executor sends it with).</summary>
    public double PromptBitsPerChannelUse { get; init; } = 1;

    /// <summary>Images and sketches go mean-removed: each colour plane's mean (8 bits) goes beside it at the prompt's rate.</summary>
    public bool MeanRemovedImages { get; init; }

    /// <summary>Sketches are greyscale drawings, sent as one plane. The built-in plans' sketches are downscaled colour
    /// images, so off by default; the executor sends a sketch as one plane only when its planes are equal.</summary>
    public bool GreySketches { get; init; }

    /// <summary>Classifier-free guidance runs the UNet twice per step (conditional and unconditional).</summary>
    public bool ClassifierFreeGuidance { get; init; } = true;

    /// <summary>Channel bandwidth for airtime: one complex channel use per hertz per second.</summary>
    public double BandwidthHz { get; init; } = 1e6;

    /// <summary>Channel uses of <paramref name="bits"/> information bits sent like the prompt, with the channel's rate-1/2
    /// convolutional code (the bits and each codeword's tail) at <see cref="PromptBitsPerChannelUse"/>.</summary>
    public long PromptChannelUses(long bits) => (long)Math.Ceiling(ConvolutionalCode.EncodedLength(bits) / 2.0 / PromptBitsPerChannelUse);

    public AccountingOptions Validate()
    {
        if (PromptBytes < 0)
        {
            throw new ArgumentException($"PromptBytes must be 0 or more; got {PromptBytes}.", nameof(PromptBytes));
        }

        if (SeedBitsPerValue is not (8 or 16 or 32))
        {
            throw new ArgumentException($"SeedBitsPerValue must be 8, 16 or 32; got {SeedBitsPerValue}.", nameof(SeedBitsPerValue));
        }

        if (PromptBitsPerChannelUse <= 0 || BandwidthHz <= 0)
        {
            throw new ArgumentException("PromptBitsPerChannelUse and BandwidthHz must be positive.");
        }

        return this;
    }
}
