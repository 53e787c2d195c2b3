namespace Meg.Load.Running;

/// <summary>
/// The highest offered rate that meets the SLO, by bisection between a rate that meets it and one that does not (on a
/// log scale: rates span decades). Each probe is a whole load level, so the search stops after a few probes or when the
/// bracket is within 10%.
/// </summary>
public static class MaxRateSearch
{
    /// <summary>Finds it with <paramref name="meets"/> as the probe; null when even <paramref name="low"/> misses the SLO.
    /// When <paramref name="high"/> meets it, that is the answer (the range was too narrow).</summary>
    public static async Task<double?> FindAsync(double low, double high, Func<double, Task<bool>> meets, int maxProbes = 6)
    {
        if (!(low > 0) || !(high > low))
        {
            throw new ArgumentException($"The search needs 0 < low < high; got {low} and {high}.", nameof(low));
        }

        if (!await meets(low))
        {
            return null;
        }

        if (await meets(high))
        {
            return high;
        }

        for (var probe = 2; probe < maxProbes && high / low > 1.1; probe++)
        {
            var middle = Math.Sqrt(low * high);
            if (await meets(middle))
            {
                low = middle;
            }
            else
            {
                high = middle;
            }
        }

        return low;
    }
}
