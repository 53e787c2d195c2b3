namespace Meg.Channel.Ber;

/// <summary>A BER-versus-SNR experiment: which link, which SNR points, how many bits. Immutable.</summary>
public sealed record BerSimulationSettings
{
    /// <summary>Most bits per SNR point.</summary>
    public const long MaxBits = 100_000_000_000;

    /// <summary>Constellation under test.</summary>
    public Modulation Modulation { get; init; } = Modulation.Bpsk;

    /// <summary>SNR points in dB, on <see cref="SnrAxis"/>.</summary>
    public IReadOnlyList<double> SnrDb { get; init; } = [0, 2, 4, 6, 8, 10];

    /// <summary>What the SNR values mean; Eb/N0 (the default) compares modulations and codes fairly.</summary>
    public SnrAxis SnrAxis { get; init; } = SnrAxis.EbN0;

    /// <summary>Whether bits are protected by the rate-1/2, K=7 convolutional code.</summary>
    public bool Coded { get; init; }

    /// <summary>Demapping in front of the decoder (coded links only).</summary>
    public DemappingMode Demapping { get; init; } = DemappingMode.Soft;

    /// <summary>Fading model; the receiver has perfect CSI.</summary>
    public FadingModel Fading { get; init; } = FadingModel.None;

    /// <summary>Rician K factor (linear).</summary>
    public double RicianK { get; init; } = 4;

    /// <summary>Symbols per fading block; 1 (the default) is fast fading, which the Rayleigh closed form assumes for its independence, not its mean.</summary>
    public int FadingBlockLength { get; init; } = 1;

    /// <summary>Rows of the block interleaver over each chunk's coded bits; 0 with <see cref="InterleaverColumns"/> = 0 is off.</summary>
    public int InterleaverRows { get; init; }

    /// <summary>Columns of the block interleaver; 0 with <see cref="InterleaverRows"/> = 0 is off.</summary>
    public int InterleaverColumns { get; init; }

    /// <summary>Information bits simulated per SNR point.</summary>
    public long Bits { get; init; } = 1_000_000;

    /// <summary>Seed of every draw; each SNR point reuses the same bits and noise (scaled), so curves are smooth.</summary>
    public ulong RandomSeed { get; init; }

    /// <summary>Throws <see cref="ArgumentException"/> naming the first invalid field and what it accepts.</summary>
    public void Validate()
    {
        if (SnrDb is null || SnrDb.Count == 0)
        {
            throw new ArgumentException("SnrDb must list at least one SNR in dB.", nameof(SnrDb));
        }

        if (Bits < 1 || Bits > MaxBits)
        {
            throw new ArgumentException($"Bits must be between 1 and {MaxBits} (got {Bits}).", nameof(Bits));
        }

        if (!Enum.IsDefined(SnrAxis))
        {
            throw new ArgumentException($"SnrAxis must be one of {string.Join(", ", Enum.GetNames<SnrAxis>())} (got {SnrAxis}).", nameof(SnrAxis));
        }

        foreach (double snr in SnrDb)
        {
            ToChannel(snr).Validate();
        }
    }

    /// <summary>Es/N0 in dB for a requested SNR.</summary>
    public double EsN0Db(double snrDb) => SnrAxis == SnrAxis.EsN0 ? snrDb : snrDb + 10 * Math.Log10(InformationBitsPerSymbol);

    /// <summary>Eb/N0 in dB for a requested SNR.</summary>
    public double EbN0Db(double snrDb) => SnrAxis == SnrAxis.EbN0 ? snrDb : snrDb - 10 * Math.Log10(InformationBitsPerSymbol);

    /// <summary>Information bits per complex symbol: bits per symbol times the nominal code rate 1/2 (tails ignored, under 0.1 %).</summary>
    public double InformationBitsPerSymbol => Digital.Constellation.BitsPer(Modulation) * (Coded ? 0.5 : 1.0);

    /// <summary>The digital link that one SNR point simulates.</summary>
    public ChannelSettings ToChannel(double snrDb) => new()
    {
        Mode = ChannelMode.Digital,
        SnrDb = EsN0Db(snrDb),
        Modulation = Modulation,
        Coded = Coded,
        Demapping = Demapping,
        Fading = Fading,
        RicianK = RicianK,
        FadingBlockLength = FadingBlockLength,
        InterleaverRows = InterleaverRows,
        InterleaverColumns = InterleaverColumns,
        Csi = CsiMode.Perfect,
    };
}
