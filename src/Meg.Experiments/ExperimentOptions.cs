using Meg.Channel;
using Meg.Execution;
using Meg.Protocols.BuiltIn;
using Meg.Protocols;

namespace Meg.Experiments;

/// <summary>Which decoder decodes latents received over the air.</summary>
public enum RobustDecoderMode
{
    /// <summary>Plain decoder only.</summary>
    Off,

    /// <summary>Noise-robust decoder only.</summary>
    On,

    /// <summary>Both, side by side: protocols that decode a received seed also run as "NAME+robust".</summary>
    Compare,
}

/// <summary>Everything that defines an experiment run; the defaults reproduce the paper's case study.</summary>
public sealed record ExperimentOptions
{
    /// <summary>The paper's case-study protocols and the multi-server sketch protocols, whose control runs show what the
    /// received sketch carries.</summary>
    public static IReadOnlyList<string> DefaultProtocols { get; } = [.. ProtocolCatalog.CaseStudy, "DSUC", "DCSUC"];

    public IReadOnlyList<string> Protocols { get; init; } = DefaultProtocols;

    public IReadOnlyList<double> SnrDb { get; init; } = [-20, -15, -10, -5, 0, 5, 10, 15, 20];

    /// <summary>Channel template: mode, fading, modulation, code; its SnrDb is replaced by each point of <see cref="SnrDb"/>.</summary>
    public ChannelSettings Channel { get; init; } = new() { Mode = ChannelMode.Analog };

    /// <summary>Links that suffer the channel; the others are counted but effectively clean. The paper's case
    /// study sends the seed and the centralized image down the noisy link, so the default is the downlink.</summary>
    public IReadOnlySet<Meg.Protocols.Plans.LinkKind> NoisyLinks { get; init; } = new HashSet<Meg.Protocols.Plans.LinkKind> { Meg.Protocols.Plans.LinkKind.Downlink };

    public SeedForm SeedForm { get; init; } = SeedForm.Float32;

    public ImageForm ImageForm { get; init; } = ImageForm.RawPixels;

    public RobustDecoderMode RobustDecoder { get; init; } = RobustDecoderMode.Compare;

    /// <summary>Whether each protocol whose UE completes a received sketch also runs as its control: the UE completes
    /// without it (a blank sketch in its place), so the table shows how much quality the channel carries.</summary>
    public bool Controls { get; init; } = true;

    /// <summary>Whether Centralized also runs with the image baselines (<see cref="ImageBaselines"/>).</summary>
    public bool ImageBaselines { get; init; } = true;

    /// <summary>Whether the equal-bandwidth comparison runs (<see cref="Experiments.EqualBandwidth"/>; needs EIUG).</summary>
    public bool EqualBandwidth { get; init; } = true;

    /// <summary>Split points and sketch settings of the plans (steps come from <see cref="Steps"/>).</summary>
    public PlanParameters Plan { get; init; } = new();

    /// <summary>Held-out items to use (the first N).</summary>
    public int Items { get; init; } = 64;

    public int Steps { get; init; } = 20;

    public double Guidance { get; init; } = 4;

    /// <summary>Seed of item i's generation is Seed + i; the channel's noise follows from Seed too.</summary>
    public ulong RandomSeed { get; init; } = 1;

    /// <summary>The small, fast variant: fewer items and SNR points.</summary>
    public static ExperimentOptions Quick { get; } = new() { Items = 3, SnrDb = [-20, -10, 0, 10, 20] };

    public ExperimentOptions Validate(int availableItems)
    {
        if (Protocols.Count == 0)
        {
            throw new ArgumentException("Protocols must name at least one protocol.", nameof(Protocols));
        }

        foreach (var name in Protocols)
        {
            ProtocolCatalog.Get(name);
        }

        if (SnrDb.Count == 0 || SnrDb.Any(s => !double.IsFinite(s) || s < ChannelSettings.MinSnrDb || s > ChannelSettings.MaxSnrDb))
        {
            throw new ArgumentException($"SnrDb must list SNRs from {ChannelSettings.MinSnrDb} to {ChannelSettings.MaxSnrDb} dB.", nameof(SnrDb));
        }

        if (Items < 1 || Items > availableItems)
        {
            throw new ArgumentException($"Items must be from 1 to {availableItems} (the size of the evaluation set); got {Items}.", nameof(Items));
        }

        if (NoisyLinks.Count == 0)
        {
            throw new ArgumentException("NoisyLinks must name at least one of ul, dl, bh.", nameof(NoisyLinks));
        }

        if (Channel.Mode == ChannelMode.Noiseless)
        {
            throw new ArgumentException("Channel mode must be analog, digital or capacity; the noiseless run is always made as the reference.", nameof(Channel));
        }

        Channel.Validate();
        Plan.Validate();
        return this;
    }
}
