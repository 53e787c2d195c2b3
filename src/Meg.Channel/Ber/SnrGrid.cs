using System.Globalization;

namespace Meg.Channel.Ber;

/// <summary>Parses SNR lists as typed on a command line.</summary>
public static class SnrGrid
{
    /// <summary>Most points a grid may have.</summary>
    public const int MaxPoints = 10_000;

    /// <summary>
    /// Parses "start:step:stop" (stop included when the steps land on it, e.g. "-2:2:10"), a comma-separated list
    /// ("0,3,6") or a single value ("5"). Invariant culture: the decimal separator is a point.
    /// </summary>
    /// <exception cref="FormatException">The text is none of those forms, or the step does not move towards stop.</exception>
    public static IReadOnlyList<double> Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        string[] range = text.Split(':');
        if (range.Length == 3)
        {
            double start = Number(range[0], text), step = Number(range[1], text), stop = Number(range[2], text);
            if (step <= 0 || stop < start)
            {
                throw new FormatException($"SNR range '{text}' needs start <= stop and a positive step (e.g. -2:2:10).");
            }

            long count = (long)Math.Floor((stop - start) / step + 1e-9) + 1;
            if (count > MaxPoints)
            {
                throw new FormatException($"SNR range '{text}' has {count} points; at most {MaxPoints} are allowed.");
            }

            return Enumerable.Range(0, (int)count).Select(i => Math.Round(start + i * step, 10)).ToArray();
        }

        if (range.Length != 1)
        {
            throw new FormatException($"SNR grid '{text}' must be start:step:stop (e.g. -2:2:10), a list (0,3,6) or one value.");
        }

        return text.Split(',').Select(part => Number(part, text)).ToArray();
    }

    private static double Number(string part, string text) =>
        double.TryParse(part.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out double value) && double.IsFinite(value)
            ? value
            : throw new FormatException($"'{part.Trim()}' in SNR grid '{text}' is not a number in dB (use a point for decimals).");
}
