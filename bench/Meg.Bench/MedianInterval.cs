namespace Meg.Bench;

/// <summary>
/// How sure a median of a few measurements is: a percentile bootstrap interval (resample the values with replacement,
/// take each resample's median, keep the middle 95%). With 15 requests a protocol, it shows whether a ratio is above a
/// goal or only within this machine's run-to-run noise of it.
/// </summary>
internal static class MedianInterval
{
    public const int Resamples = 2000;

    /// <summary>The median of values sorted in ascending order; NaN for none.</summary>
    public static double MedianOfSorted(IReadOnlyList<double> sorted) =>
        sorted.Count == 0 ? double.NaN
        : sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[sorted.Count / 2 - 1] + sorted[sorted.Count / 2]) / 2;

    /// <summary>The 95% interval of <paramref name="values"/>' median; <paramref name="seed"/> fixes the resamples.</summary>
    public static (double Low, double High) Of(IReadOnlyList<double> values, int seed)
    {
        if (values.Count == 0)
        {
            return (double.NaN, double.NaN);
        }

        var random = new Random(seed);
        var medians = new double[Resamples];
        var sample = new double[values.Count];
        for (var r = 0; r < Resamples; r++)
        {
            for (var i = 0; i < sample.Length; i++)
            {
                sample[i] = values[random.Next(values.Count)];
            }

            Array.Sort(sample);
            medians[r] = MedianOfSorted(sample);
        }

        Array.Sort(medians);
        return (medians[(int)(0.025 * (Resamples - 1))], medians[(int)Math.Ceiling(0.975 * (Resamples - 1))]);
    }
}
