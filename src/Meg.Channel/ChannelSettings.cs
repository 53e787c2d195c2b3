using System.Globalization;

namespace Meg.Channel;

/// <summary>
/// Everything that defines one wireless link. Immutable; change a copy with <c>with</c>. Fields that a mode
/// does not use are ignored (for example <see cref="Modulation"/> in analog mode). Call <see cref="Validate"/>
/// before use; the transmit methods do.
/// </summary>
public sealed record ChannelSettings
{
    /// <summary>Lowest accepted <see cref="SnrDb"/>.</summary>
    public const double MinSnrDb = -50;

    /// <summary>Highest accepted <see cref="SnrDb"/>.</summary>
    public const double MaxSnrDb = 100;

    /// <summary>How the payload crosses the channel.</summary>
    public ChannelMode Mode { get; init; } = ChannelMode.Analog;

    /// <summary>
    /// Average SNR per complex channel use in dB: Es/N0 with the transmit power normalized to 1 per complex
    /// symbol, noise N0 per complex symbol (N0/2 per real dimension). With fading it is the average over gains (E|h|^2 = 1).
    /// </summary>
    public double SnrDb { get; init; } = 10;

    /// <summary>Small-scale fading on top of the noise.</summary>
    public FadingModel Fading { get; init; } = FadingModel.None;

    /// <summary>Rician K factor: line-of-sight power over scattered power (linear, not dB). Used with <see cref="FadingModel.Rician"/>.</summary>
    public double RicianK { get; init; } = 4;

    /// <summary>Complex channel uses that share one fading gain (the coherence block), pilots included.</summary>
    public int FadingBlockLength { get; init; } = 128;

    /// <summary>What the receiver knows about the fading gain.</summary>
    public CsiMode Csi { get; init; } = CsiMode.Perfect;

    /// <summary>Pilot symbols at the start of each fading block when <see cref="Csi"/> is <see cref="CsiMode.PilotEstimate"/>.</summary>
    public int PilotsPerBlock { get; init; } = 4;

    /// <summary>Constellation of the digital mode.</summary>
    public Modulation Modulation { get; init; } = Modulation.Qpsk;

    /// <summary>Whether the digital mode uses the rate-1/2, K=7 convolutional code (133, 171 octal).</summary>
    public bool Coded { get; init; } = true;

    /// <summary>Hard or soft (LLR) demapping in the digital mode.</summary>
    public DemappingMode Demapping { get; init; } = DemappingMode.Soft;

    /// <summary>Rows of the block interleaver over the coded bits; 0 together with <see cref="InterleaverColumns"/> = 0 turns it off.</summary>
    public int InterleaverRows { get; init; }

    /// <summary>Columns of the block interleaver; 0 together with <see cref="InterleaverRows"/> = 0 turns it off.</summary>
    public int InterleaverColumns { get; init; }

    /// <summary>Bits per value (8 or 16) when floats are quantized for the digital and capacity modes.</summary>
    public int QuantizationBits { get; init; } = 8;

    /// <summary>Spectral efficiency of the capacity mode in bits per complex channel use.</summary>
    public double CapacityRate { get; init; } = 2;

    /// <summary>Channel bandwidth in Hz; complex baseband carries one channel use per Hz per second.</summary>
    public double BandwidthHz { get; init; } = 1e6;

    /// <summary>Analog only: each value is sent this many times and the receiver averages the copies (maximum-ratio
    /// combining on AWGN: 10 log10(r) dB more SNR for r times the channel uses), to compare schemes at equal bandwidth.</summary>
    public int Repetitions { get; init; } = 1;

    /// <summary>The most <see cref="Repetitions"/> allowed.</summary>
    public const int MaxRepetitions = 64;

    /// <summary>True when the interleaver is on.</summary>
    public bool UsesInterleaver => InterleaverRows > 0 && InterleaverColumns > 0;

    /// <summary>True when the link is faded (the fading model is used).</summary>
    public bool IsFaded => Fading != FadingModel.None && Mode != ChannelMode.Noiseless;

    /// <summary>True when fading blocks start with pilots: a faded analog or digital link with estimated CSI.</summary>
    public bool SendsPilots => IsFaded && Csi == CsiMode.PilotEstimate && Mode is ChannelMode.Analog or ChannelMode.Digital;

    /// <summary>Pilot symbols actually sent per fading block (0 unless <see cref="SendsPilots"/>).</summary>
    public int EffectivePilotsPerBlock => SendsPilots ? PilotsPerBlock : 0;

    /// <summary>Noise energy N0 per complex symbol for unit signal power: 10^(-SnrDb/10).</summary>
    public double NoiseVariance => Math.Pow(10, -SnrDb / 10);

    /// <summary>Throws <see cref="ArgumentException"/> naming the first invalid field and what it accepts.</summary>
    public void Validate()
    {
        RequireDefined(Mode, nameof(Mode));
        RequireDefined(Fading, nameof(Fading));
        RequireDefined(Csi, nameof(Csi));
        RequireDefined(Modulation, nameof(Modulation));
        RequireDefined(Demapping, nameof(Demapping));

        if (!double.IsFinite(SnrDb) || SnrDb < MinSnrDb || SnrDb > MaxSnrDb)
        {
            throw Invalid(nameof(SnrDb), $"must be between {MinSnrDb} and {MaxSnrDb} dB", SnrDb);
        }

        if (Fading == FadingModel.Rician && (!double.IsFinite(RicianK) || RicianK < 0))
        {
            throw Invalid(nameof(RicianK), "must be a finite linear ratio >= 0 (0 is Rayleigh)", RicianK);
        }

        if (FadingBlockLength < 1)
        {
            throw Invalid(nameof(FadingBlockLength), "must be at least 1 complex channel use", FadingBlockLength);
        }

        if (SendsPilots && (PilotsPerBlock < 1 || PilotsPerBlock >= FadingBlockLength))
        {
            throw Invalid(nameof(PilotsPerBlock),
                $"must be between 1 and FadingBlockLength - 1 = {FadingBlockLength - 1} so each block also carries data", PilotsPerBlock);
        }

        if (InterleaverRows < 0 || InterleaverColumns < 0 || (InterleaverRows == 0) != (InterleaverColumns == 0))
        {
            throw Invalid(nameof(InterleaverRows),
                $"and InterleaverColumns must both be 0 (off) or both be positive (got {InterleaverRows} x {InterleaverColumns})", null);
        }

        if ((long)InterleaverRows * InterleaverColumns > 1 << 24)
        {
            throw Invalid(nameof(InterleaverRows), "x InterleaverColumns must be at most 16777216 bits", (long)InterleaverRows * InterleaverColumns);
        }

        if (QuantizationBits is not (8 or 16))
        {
            throw Invalid(nameof(QuantizationBits), "must be 8 or 16", QuantizationBits);
        }

        if (!double.IsFinite(CapacityRate) || CapacityRate <= 0 || CapacityRate > 64)
        {
            throw Invalid(nameof(CapacityRate), "must be above 0 and at most 64 bits per channel use", CapacityRate);
        }

        if (Repetitions < 1 || Repetitions > MaxRepetitions)
        {
            throw Invalid(nameof(Repetitions), $"must be from 1 to {MaxRepetitions}", Repetitions);
        }

        if (!double.IsFinite(BandwidthHz) || BandwidthHz <= 0)
        {
            throw Invalid(nameof(BandwidthHz), "must be a positive finite number of Hz", BandwidthHz);
        }
    }

    private static void RequireDefined<T>(T value, string name)
        where T : struct, Enum
    {
        if (!Enum.IsDefined(value))
        {
            throw new ArgumentException($"{name} must be one of {string.Join(", ", Enum.GetNames<T>())} (got {value}).", name);
        }
    }

    private static ArgumentException Invalid(string name, string rule, object? value)
    {
        string got = value is null ? "" : string.Create(CultureInfo.InvariantCulture, $" (got {value})");
        return new ArgumentException($"{name} {rule}{got}.", name);
    }
}
