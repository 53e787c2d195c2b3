namespace Meg.Experiments;

/// <summary>One protocol at one SNR on one held-out item, averaged over the request's images (channel uses and bits per image).
/// Quality is measured against the same protocol's
/// noiseless output and against the centralized noiseless output.</summary>
public sealed record ItemResult(
    string Protocol,
    double SnrDb,
    int Item,
    double Psnr,
    double Ssim,
    double MsSsim,
    double PsnrVsCentralized,
    double SsimVsCentralized,
    double ClipScore,
    long ChannelUses,
    long UplinkUses,
    long DownlinkUses,
    long BackhaulUses,
    long Bits,
    long? BitErrors,
    bool DecodeFailed,
    bool Outage,
    double UserComputeMs,
    double EdgeComputeMs);

/// <summary>Means over the items of one protocol at one SNR, plus the set-level Fréchet distance.</summary>
public sealed record SummaryRow(
    string Protocol,
    double SnrDb,
    int Items,
    double Psnr,
    double Ssim,
    double MsSsim,
    double PsnrVsCentralized,
    double SsimVsCentralized,
    double ClipScore,
    double FrechetDistance,
    double ChannelUses,
    double ChannelUsesRelativeToCentralized,
    double Bits,
    double DecodeFailureRate,
    double OutageRate);

/// <summary>A protocol's noiseless reference: its CLIP-style score and Fréchet distance without a channel.</summary>
public sealed record NoiselessRow(string Protocol, double ClipScore, double FrechetDistance, double SsimVsCentralized, double UserComputeMs, double EdgeComputeMs);
