namespace Meg.Experiments;

/// <summary>The numbers the case study is about, read off a result (standard runs unless a variant is named).</summary>
public static class Findings
{
    /// <summary>SSIM against the protocol's own noiseless output counts as "kept" from this fraction of it (noiseless = 1).</summary>
    public const double KeptFraction = 0.95;

    private static IEnumerable<SummaryRow> Rows(ExperimentResult result, string protocol, string variant = ProtocolVariant.Standard) =>
        result.Summary.Where(r => r.Protocol == protocol && r.Variant == variant);

    /// <summary>Lowest SNR from which on (at every higher SNR of the grid too) mean SSIM stays at or above 0.95; null if never.</summary>
    public static double? LowestSnrKeepingQuality(ExperimentResult result, string protocol)
    {
        var rows = Rows(result, protocol).OrderBy(r => r.SnrDb).ToList();
        double? lowest = null;
        for (var i = rows.Count - 1; i >= 0 && rows[i].Ssim.Mean >= KeptFraction; i--)
        {
            lowest = rows[i].SnrDb;
        }

        return lowest;
    }

    /// <summary>Mean channel uses per image, all links, relative to Centralized (analog counts do not depend on SNR).</summary>
    public static double ChannelUsesRelative(ExperimentResult result, string protocol) =>
        Rows(result, protocol).Select(r => r.ChannelUsesRelativeToCentralized).DefaultIfEmpty(double.NaN).Average();

    /// <summary>Mean channel uses per image on the noisy link(s) relative to Centralized's.</summary>
    public static double NoisyUsesRelative(ExperimentResult result, string protocol) =>
        Rows(result, protocol).Select(r => r.NoisyUsesRelativeToCentralized).DefaultIfEmpty(double.NaN).Average();

    /// <summary>PSNR gain of the "+robust" variant over the plain one at an SNR (against the plain noiseless output).</summary>
    public static double? RobustGainDb(ExperimentResult result, string protocol, double snrDb)
    {
        var plain = Rows(result, protocol).FirstOrDefault(r => r.SnrDb == snrDb);
        var robust = Rows(result, protocol + ProtocolVariant.RobustSuffix).FirstOrDefault(r => r.SnrDb == snrDb);
        return plain is null || robust is null ? null : robust.Psnr.Mean - plain.Psnr.Mean;
    }

    /// <summary>How much SSIM against Centralized's noiseless image the received sketch carries at an SNR: the protocol's
    /// score minus its control's (the UE completing without the sketch); null without a control run.</summary>
    public static double? SketchGain(ExperimentResult result, string protocol, double snrDb)
    {
        var run = Rows(result, protocol).FirstOrDefault(r => r.SnrDb == snrDb);
        var control = Rows(result, protocol, ProtocolVariant.Control).FirstOrDefault(r => r.SnrDb == snrDb);
        return run is null || control is null ? null : run.SsimVsCentralized.Mean - control.SsimVsCentralized.Mean;
    }

    /// <summary>The way of sending the centralized image (raw pixels or an image baseline) that keeps the most SSIM against
    /// Centralized's noiseless image at an SNR: the baseline the headline compares against.</summary>
    public static SummaryRow? StrongestImageBaseline(ExperimentResult result, double snrDb) =>
        result.Summary.Where(r => r.SnrDb == snrDb && r.Variant == ProtocolVariant.Standard
                                  && (r.Protocol == "Centralized" || r.Protocol.StartsWith("Centralized+", StringComparison.Ordinal)))
            .MaxBy(r => r.SsimVsCentralized.Mean);
}
