namespace Meg.Protocols.Costs;

/// <summary>How payloads are sized when a plan is costed without running it.</summary>
public sealed record AccountingOptions
{
    /// <summary>UTF-8 bytes of the prompt (the table uses a typical caption length).</summary>
    public int PromptBytes { get; init; } = 64;

    /// <summary>Bits per latent value when a seed is counted in bits: 32 (float32), 16 (float16) or 8.</summary>
    public int SeedBitsPerValue { get; init; } = 32;

    /// <summary>The prompt always travels digitally; this is its spectral efficiency (2 = uncoded QPSK).</summary>
    public double PromptBitsPerChannelUse { get; init; } = 2;

    /// <summary>Classifier-free guidance runs the UNet twice per step (conditional and unconditional).</summary>
    public bool ClassifierFreeGuidance { get; init; } = true;

    /// <summary>Channel bandwidth for airtime: one complex channel use per hertz per second.</summary>
    public double BandwidthHz { get; init; } = 1e6;

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
