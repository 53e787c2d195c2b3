namespace Meg.Charts;

/// <summary>Tick positions a reader expects: 1-2-5 steps on linear axes, decades on log axes.</summary>
public static class AxisTicks
{
    public static (double Min, double Max, double[] Ticks) Linear(double min, double max, int target = 6)
    {
        if (!double.IsFinite(min) || !double.IsFinite(max))
        {
            return (0, 1, [0, 0.5, 1]);
        }

        if (max - min < 1e-12)
        {
            var pad = Math.Abs(max) > 0 ? Math.Abs(max) * 0.1 : 1;
            min -= pad;
            max += pad;
        }

        var step = NiceStep((max - min) / target);
        var lo = Math.Floor(min / step) * step;
        var hi = Math.Ceiling(max / step) * step;
        var count = (int)Math.Round((hi - lo) / step);
        var ticks = Enumerable.Range(0, count + 1).Select(i => lo + i * step).ToArray();
        return (lo, hi, ticks);
    }

    /// <summary>Decade ticks covering [min, max] (both positive).</summary>
    public static (double Min, double Max, double[] Ticks) Log(double min, double max)
    {
        var lo = Math.Floor(Math.Log10(min));
        var hi = Math.Ceiling(Math.Log10(max));
        if (hi <= lo)
        {
            hi = lo + 1;
        }

        var ticks = Enumerable.Range(0, (int)(hi - lo) + 1).Select(i => Math.Pow(10, lo + i)).ToArray();
        return (Math.Pow(10, lo), Math.Pow(10, hi), ticks);
    }

    private static double NiceStep(double raw)
    {
        var magnitude = Math.Pow(10, Math.Floor(Math.Log10(raw)));
        var fraction = raw / magnitude;
        var nice = fraction <= 1 ? 1 : fraction <= 2 ? 2 : fraction <= 5 ? 5 : 10;
        return nice * magnitude;
    }

    public static string Format(double value, bool log)
    {
        if (log)
        {
            var exponent = (int)Math.Round(Math.Log10(value));
            return exponent is >= -2 and <= 3 ? value.ToString("0.###", System.Globalization.CultureInfo.InvariantCulture) : $"1e{exponent}";
        }

        return Math.Abs(value) >= 1e5 || (Math.Abs(value) < 1e-3 && value != 0)
            ? value.ToString("0.##e0", System.Globalization.CultureInfo.InvariantCulture)
            : value.ToString("0.###", System.Globalization.CultureInfo.InvariantCulture);
    }
}
