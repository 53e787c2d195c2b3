using System.Globalization;
using Meg.Channel.Randomness;

namespace Meg.Load.Arrivals;

/// <summary>
/// The requests of an open-loop run, planned before it starts: arrival times from the chosen process, and for each a
/// protocol (drawn by weight) and a held-out item, all from one random seed, so the same seed gives the same schedule.
/// </summary>
public static class ArrivalSchedule
{
    /// <summary>Plans every request that arrives within <paramref name="duration"/> at <paramref name="rate"/> per second.</summary>
    public static IReadOnlyList<PlannedRequest> Generate(ArrivalKind kind, double rate, TimeSpan duration, ProtocolMix mix, int items, ulong randomSeed, double scv = 1)
    {
        if (!double.IsFinite(rate) || rate <= 0)
        {
            throw new ArgumentException($"The rate must be a positive number of requests per second; got {rate}.", nameof(rate));
        }

        if (kind == ArrivalKind.Gamma && (!double.IsFinite(scv) || scv <= 0))
        {
            throw new ArgumentException($"The gamma arrivals' SCV must be positive (1 is Poisson); got {scv}.", nameof(scv));
        }

        if (kind == ArrivalKind.Trace)
        {
            throw new ArgumentException("A trace's arrivals come from its file: use ReadTrace.", nameof(kind));
        }

        var random = new Xoshiro256StarStar(randomSeed);
        var planned = new List<PlannedRequest>();
        var mean = 1 / rate;
        // The first gap too is drawn, so a run does not open with a request at exactly 0 for every process but Constant.
        for (var t = Gap(kind, mean, scv, ref random); t < duration.TotalSeconds; t += Gap(kind, mean, scv, ref random))
        {
            planned.Add(new PlannedRequest(TimeSpan.FromSeconds(t), mix.Draw(random.NextDouble()), (int)(random.NextDouble() * items)));
        }

        return planned;
    }

    /// <summary>Reads a trace: CSV lines "offset_s,protocol,item" (a header line is allowed), in any order.</summary>
    public static IReadOnlyList<PlannedRequest> ReadTrace(string path, IReadOnlyCollection<string> protocols, int items)
    {
        var planned = new List<PlannedRequest>();
        var lines = File.ReadAllLines(path);
        for (var n = 0; n < lines.Length; n++)
        {
            var line = lines[n].Trim();
            if (line.Length == 0 || line.StartsWith('#') || (n == 0 && line.StartsWith("offset", StringComparison.OrdinalIgnoreCase)))
            {
                continue;
            }

            var fields = line.Split(',');
            if (fields.Length < 3
                || !double.TryParse(fields[0], NumberStyles.Float, CultureInfo.InvariantCulture, out var offset) || offset < 0
                || !int.TryParse(fields[2], NumberStyles.None, CultureInfo.InvariantCulture, out var item) || item >= items)
            {
                throw new FormatException($"{path} line {n + 1}: expected 'offset_s,protocol,item' with offset >= 0 and item from 0 to {items - 1}; got '{line}'.");
            }

            var protocol = protocols.FirstOrDefault(p => p.Equals(fields[1].Trim(), StringComparison.OrdinalIgnoreCase))
                ?? throw new FormatException($"{path} line {n + 1}: protocol '{fields[1]}' is not one of {string.Join(", ", protocols)}.");
            planned.Add(new PlannedRequest(TimeSpan.FromSeconds(offset), protocol, item));
        }

        return planned.OrderBy(p => p.Offset).ToList();
    }

    /// <summary>One gap of mean <paramref name="mean"/> seconds.</summary>
    private static double Gap(ArrivalKind kind, double mean, double scv, ref Xoshiro256StarStar random) => kind switch
    {
        ArrivalKind.Poisson => -mean * Math.Log(1 - random.NextDouble()),
        ArrivalKind.Constant => mean,
        ArrivalKind.Gamma => Gamma(1 / scv, ref random) * mean * scv,
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };

    /// <summary>A Gamma(shape, 1) draw (Marsaglia and Tsang; shapes below 1 boosted by U^(1/shape)).</summary>
    private static double Gamma(double shape, ref Xoshiro256StarStar random)
    {
        if (shape < 1)
        {
            var boost = Math.Pow(1 - random.NextDouble(), 1 / shape);
            return Gamma(shape + 1, ref random) * boost;
        }

        var d = shape - 1.0 / 3;
        var c = 1 / Math.Sqrt(9 * d);
        while (true)
        {
            double x, v;
            do
            {
                x = Normal(ref random);
                v = 1 + c * x;
            }
            while (v <= 0);

            v = v * v * v;
            var u = 1 - random.NextDouble();
            if (Math.Log(u) < 0.5 * x * x + d - d * v + d * Math.Log(v))
            {
                return d * v;
            }
        }
    }

    private static double Normal(ref Xoshiro256StarStar random)
    {
        var u1 = 1 - random.NextDouble();
        var u2 = random.NextDouble();
        return Math.Sqrt(-2 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
    }

    /// <summary>The squared coefficient of variation of the gaps between planned requests.</summary>
    public static double GapScv(IReadOnlyList<PlannedRequest> planned)
    {
        var gaps = planned.Zip(planned.Skip(1), (a, b) => (b.Offset - a.Offset).TotalSeconds).ToArray();
        if (gaps.Length < 2)
        {
            return double.NaN;
        }

        var mean = gaps.Average();
        return gaps.Sum(g => (g - mean) * (g - mean)) / (gaps.Length - 1) / (mean * mean);
    }
}
