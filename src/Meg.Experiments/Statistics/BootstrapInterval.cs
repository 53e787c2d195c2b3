using Meg.Channel.Randomness;

namespace Meg.Experiments.Statistics;

/// <summary>
/// Percentile bootstrap intervals of a mean over items (Efron): resample the items with replacement many times, take
/// each resample's mean, and read the interval off the middle <c>level</c> share of those means. It assumes nothing
/// about the distribution of the per-item values (SSIM, PSNR and CLIP scores are bounded and skewed).
/// </summary>
/// <remarks>
/// Resampling draws from <see cref="Xoshiro256StarStar"/> seeded with the caller's seed, so one seed gives the
/// same interval on every machine and run. Non-finite values (NaN: "not measured") are left out before resampling.
/// With no finite value every field is NaN; with exactly one, <see cref="ConfidenceInterval.Mean"/> is that value and
/// Low and High are NaN: one item says nothing about the spread, and a zero-width interval would claim certainty.
/// </remarks>
public static class BootstrapInterval
{
    /// <summary>Resamples unless asked otherwise: enough for stable 95% percentiles (the 50th of 2000 from each end).</summary>
    public const int DefaultResamples = 2000;

    /// <summary>Coverage unless asked otherwise.</summary>
    public const double DefaultLevel = 0.95;

    /// <summary>The mean of the finite <paramref name="values"/> and its percentile bootstrap interval.</summary>
    /// <param name="values">One value per item; NaN and infinities are skipped.</param>
    /// <param name="seed">Seed of the resampling; the same seed and values give the same interval.</param>
    /// <param name="resamples">How many resamples to draw (at least 1).</param>
    /// <param name="level">Coverage, strictly between 0 and 1 (0.95 for a 95% interval).</param>
    public static ConfidenceInterval OfMean(IReadOnlyList<double> values, ulong seed, int resamples = DefaultResamples, double level = DefaultLevel)
    {
        ArgumentNullException.ThrowIfNull(values);
        Validate(resamples, level);
        return Compute(values.Where(double.IsFinite).ToArray(), seed, resamples, level);
    }

    /// <summary>
    /// The mean of <paramref name="first"/>[i] - <paramref name="second"/>[i] and its interval: the paired comparison
    /// of two methods on the same items (e.g. SSIM of one protocol minus another's). Pairing removes the spread
    /// between items that both share, so the interval is far narrower than comparing two separate intervals.
    /// Pairs where either value is not finite are skipped.
    /// </summary>
    /// <param name="first">One value per item.</param>
    /// <param name="second">One value per item, aligned with <paramref name="first"/> (same length).</param>
    /// <param name="seed">Seed of the resampling.</param>
    /// <param name="resamples">How many resamples to draw (at least 1).</param>
    /// <param name="level">Coverage, strictly between 0 and 1.</param>
    public static ConfidenceInterval OfMeanDifference(IReadOnlyList<double> first, IReadOnlyList<double> second, ulong seed,
        int resamples = DefaultResamples, double level = DefaultLevel)
    {
        ArgumentNullException.ThrowIfNull(first);
        ArgumentNullException.ThrowIfNull(second);
        if (first.Count != second.Count)
        {
            throw new ArgumentException($"second has {second.Count} values but first has {first.Count}; a paired interval needs aligned lists.", nameof(second));
        }

        Validate(resamples, level);
        var differences = first.Zip(second, (a, b) => a - b).Where(double.IsFinite).ToArray();
        return Compute(differences, seed, resamples, level);
    }

    private static void Validate(int resamples, double level)
    {
        if (resamples < 1)
        {
            throw new ArgumentException($"resamples must be at least 1, not {resamples}.", nameof(resamples));
        }

        if (!(level > 0 && level < 1))
        {
            throw new ArgumentException($"level must be strictly between 0 and 1 (0.95 for 95%), not {level}.", nameof(level));
        }
    }

    private static ConfidenceInterval Compute(double[] values, ulong seed, int resamples, double level)
    {
        if (values.Length == 0)
        {
            return new ConfidenceInterval(double.NaN, double.NaN, double.NaN);
        }

        var mean = Mean(values);
        if (values.Length == 1)
        {
            return new ConfidenceInterval(mean, double.NaN, double.NaN);
        }

        var random = new Xoshiro256StarStar(seed);
        var means = new double[resamples];
        var n = (ulong)values.Length;
        for (var r = 0; r < resamples; r++)
        {
            var sum = 0.0;
            for (var i = 0; i < values.Length; i++)
            {
                // The high word of a 64x64-bit product maps 64 random bits onto 0..n-1 (Lemire); the bias is below n/2^64.
                sum += values[(int)Math.BigMul(random.NextUInt64(), n, out _)];
            }

            means[r] = sum / values.Length;
        }

        Array.Sort(means);
        var tail = (1 - level) / 2;
        return new ConfidenceInterval(mean, Quantile(means, tail), Quantile(means, 1 - tail));
    }

    // Summed in order like the resample means, so identical items give Low == Mean == High exactly.
    private static double Mean(double[] values)
    {
        var sum = 0.0;
        foreach (var v in values)
        {
            sum += v;
        }

        return sum / values.Length;
    }

    /// <summary>The <paramref name="p"/> quantile of sorted values, interpolating between neighbours (R's type 7).</summary>
    private static double Quantile(double[] sorted, double p)
    {
        var position = p * (sorted.Length - 1);
        var below = (int)Math.Floor(position);
        var above = Math.Min(below + 1, sorted.Length - 1);
        return sorted[below] + (position - below) * (sorted[above] - sorted[below]);
    }
}
