namespace Meg.Experiments;

/// <summary>The numbers the case study is about, read off a result.</summary>
public static class Findings
{
    /// <summary>SSIM against the protocol's own noiseless output counts as "kept" from this fraction of it (noiseless = 1).</summary>
    public const double KeptFraction = 0.95;

    /// <summary>Lowest SNR from which on (at every higher SNR of the grid too) mean SSIM stays at or above 0.95; null if never.</summary>
    public static double? LowestSnrKeepingQuality(ExperimentResult result, string protocol)
    {
        var rows = result.Summary.Where(r => r.Protocol == protocol).OrderBy(r => r.SnrDb).ToList();
        double? lowest = null;
        for (var i = rows.Count - 1; i >= 0 && rows[i].Ssim >= KeptFraction; i--)
        {
            lowest = rows[i].SnrDb;
        }

        return lowest;
    }

    /// <summary>Mean channel uses per request relative to Centralized (over all SNRs; analog counts do not depend on SNR).</summary>
    public static double ChannelUsesRelative(ExperimentResult result, string protocol) =>
        result.Summary.Where(r => r.Protocol == protocol).Select(r => r.ChannelUsesRelativeToCentralized).DefaultIfEmpty(double.NaN).Average();

    /// <summary>PSNR gain of the "+robust" variant over the plain one at an SNR (against the plain noiseless output).</summary>
    public static double? RobustGainDb(ExperimentResult result, string protocol, double snrDb)
    {
        var plain = result.Summary.FirstOrDefault(r => r.Protocol == protocol && r.SnrDb == snrDb);
        var robust = result.Summary.FirstOrDefault(r => r.Protocol == protocol + "+robust" && r.SnrDb == snrDb);
        return plain is null || robust is null ? null : robust.Psnr - plain.Psnr;
    }
}
