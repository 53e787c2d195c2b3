using Meg.Experiments.Statistics;

namespace Meg.Experiments;

/// <summary>
/// One protocol variant at one SNR on one held-out item, averaged over the request's images (channel uses and bits per
/// image). Quality is measured three ways: against the same protocol's noiseless output (what the channel cost),
/// against Centralized's noiseless output (the reference every protocol aims at) and against the true scene, plus the
/// scene checks (colours, layout) and the rank of the true caption. NaN where a measure is unavailable.
/// </summary>
public sealed record ItemResult(
    string Protocol,
    string Variant,
    double SnrDb,
    int Item,
    double Psnr,
    double Ssim,
    double MsSsim,
    SceneScores Scores,
    LinkUses Uses,
    long Bits,
    long? BitErrors,
    bool DecodeFailed,
    bool Outage,
    double UserComputeMs,
    double EdgeComputeMs);

/// <summary>Complex channel uses per image, by link, and those on the links that suffered the channel's noise.</summary>
public sealed record LinkUses(double Uplink, double Downlink, double Backhaul, double Noisy)
{
    public double Total => Uplink + Downlink + Backhaul;
}

/// <summary>Means over the items of one protocol variant at one SNR, with 95% bootstrap intervals over items for the
/// quality measures (<see cref="BootstrapInterval"/>).</summary>
public sealed record SummaryRow(
    string Protocol,
    string Variant,
    double SnrDb,
    int Items,
    ConfidenceInterval Psnr,
    ConfidenceInterval Ssim,
    double MsSsim,
    ConfidenceInterval PsnrVsCentralized,
    ConfidenceInterval SsimVsCentralized,
    ConfidenceInterval SsimVsTruth,
    ConfidenceInterval ColoursObeyed,
    double LayoutIou,
    double CaptionTop1,
    double FrechetDistance,
    LinkUses Uses,
    double ChannelUsesRelativeToCentralized,
    double NoisyUsesRelativeToCentralized,
    double Bits,
    double DecodeFailureRate,
    double OutageRate)
{
    /// <summary>The row's name in tables and plots: the protocol, with " control" for its control run.</summary>
    public string Label => ProtocolVariant.LabelOf(Protocol, Variant);
}

/// <summary>A protocol's noiseless reference: its scene checks, caption rank and set-level scores without a channel.</summary>
public sealed record NoiselessRow(
    string Protocol,
    double CaptionTop1,
    double FrechetDistance,
    double SsimVsCentralized,
    double SsimVsTruth,
    double ColoursObeyed,
    double LayoutIou,
    double UserComputeMs,
    double EdgeComputeMs);
