using Meg.Channel;
using Meg.Protocols.Plans;

namespace Meg.Execution;

/// <summary>The channel every transfer crosses and the form payloads take on it.</summary>
public sealed record TransmissionOptions
{
    public ChannelSettings Channel { get; init; } = new() { Mode = ChannelMode.Noiseless };

    public SeedForm SeedForm { get; init; } = SeedForm.Float32;

    public ImageForm ImageForm { get; init; } = ImageForm.RawPixels;

    public int JpegQuality { get; init; } = 90;

    /// <summary>The receiver's denoiser for images and input images (not sketches) that crossed a noisy analog link.</summary>
    public ImageDenoiser ImageDenoiser { get; init; } = ImageDenoiser.None;

    /// <summary>Decode latents that arrived over the air with the noise-robust VAE decoder.</summary>
    public bool RobustDecoder { get; init; }

    /// <summary>Control run: the UE puts a blank (mid-grey) sketch in place of every sketch it receives, so a sketch protocol
    /// completes without what the channel carried. The transfers are sent and counted as usual.</summary>
    public bool UeIgnoresReceivedSketch { get; init; }

    /// <summary>Seed of the channel's noise and fading; transfer k of a run uses a stream derived from it.</summary>
    public ulong ChannelRandomSeed { get; init; } = 1;

    /// <summary>The links whose transfers suffer the channel's noise and fading; transfers on the others cross the
    /// same channel without its noise (<see cref="ChannelFor"/>: counted the same, clean). Default: all.</summary>
    public IReadOnlySet<LinkKind> NoisyLinks { get; init; } = new HashSet<LinkKind>(Enum.GetValues<LinkKind>());

    /// <summary>The channel a transfer on <paramref name="link"/> crosses. A clean analog link without pilots is a noiseless
    /// pipe (it counts the same channel uses and hands back exactly what was sent, so every SNR point of a sweep sees the
    /// same payloads there); other clean links cross at <see cref="ChannelSettings.MaxSnrDb"/>.</summary>
    public ChannelSettings ChannelFor(LinkKind link) =>
        NoisyLinks.Contains(link) ? Channel
        : Channel.Mode == ChannelMode.Analog && !Channel.SendsPilots ? Channel with { Mode = ChannelMode.Noiseless }
        : Channel with { SnrDb = ChannelSettings.MaxSnrDb };

    public static TransmissionOptions Noiseless { get; } = new();
}
