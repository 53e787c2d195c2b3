using System.Globalization;
using System.Reflection;
using System.Text;
using System.Text.Json;
using Meg.Charts;
using Meg.Load.Running;

namespace Meg.Load.Reporting;

/// <summary>Writes a load run: load.csv (a row per level), requests.csv (a row per request), load.json (options, the
/// queues when it started, every row and request), and the plots.</summary>
public static class LoadReport
{
    public static void Write(LoadOptions options, IReadOnlyList<LevelSummary> rows, IReadOnlyList<LevelResult> levels, QueueSnapshotView? start, string label)
    {
        Directory.CreateDirectory(options.OutputFolder);
        File.WriteAllText(Path.Combine(options.OutputFolder, "load.csv"), Csv(rows));
        File.WriteAllText(Path.Combine(options.OutputFolder, "requests.csv"), Csv(levels.SelectMany(s => s.Requests).ToList()));
        var json = new
        {
            label,
            options = new
            {
                gateway = options.Gateway.ToString(), options.Protocols, mix = options.Mix?.ToString(), options.Rates, options.Utilisations,
                durationS = options.Duration.TotalSeconds, warmupS = options.Warmup.TotalSeconds, arrivals = options.Arrivals.ToString().ToLowerInvariant(),
                options.ArrivalScv, options.ClosedUsers, thinkS = options.ThinkTime.TotalSeconds, options.RandomSeed, options.Steps, options.Channel,
                options.SnrDb, options.EdgeServers, options.Slots, sloE2eMs = options.SloEndToEnd.TotalMilliseconds, sloWaitMs = options.SloWait.TotalMilliseconds,
            },
            placement = start,
            levels = rows,
            requests = levels.SelectMany(s => s.Requests),
        };
        File.WriteAllText(Path.Combine(options.OutputFolder, "load.json"),
            JsonSerializer.Serialize(json, new JsonSerializerOptions(JsonSerializerDefaults.Web) { WriteIndented = true, NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals }));
        Plots(options.OutputFolder, rows, levels);
    }

    /// <summary>A CSV of <paramref name="rows"/>' properties, snake_case headers, invariant numbers.</summary>
    public static string Csv<T>(IReadOnlyList<T> rows)
    {
        var properties = typeof(T).GetProperties(BindingFlags.Public | BindingFlags.Instance);
        var text = new StringBuilder();
        text.AppendLine(string.Join(",", properties.Select(p => Snake(p.Name))));
        foreach (var row in rows)
        {
            text.AppendLine(string.Join(",", properties.Select(p => Cell(p.GetValue(row)))));
        }

        return text.ToString();
    }

    private static string Cell(object? value) => value switch
    {
        null => "",
        double d when !double.IsFinite(d) => "",
        double d => d.ToString("0.###", CultureInfo.InvariantCulture),
        bool b => b ? "true" : "false",
        string s when s.Contains(',') || s.Contains('"') || s.Contains('\n') => "\"" + s.Replace("\"", "\"\"", StringComparison.Ordinal).Replace('\n', ' ') + "\"",
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };

    private static string Snake(string name) => string.Concat(name.Select((c, i) => char.IsUpper(c) && i > 0 && !char.IsUpper(name[i - 1]) ? "_" + char.ToLowerInvariant(c) : char.ToLowerInvariant(c).ToString()));

    private static void Plots(string folder, IReadOnlyList<LevelSummary> rows, IReadOnlyList<LevelResult> levels)
    {
        var byProtocol = rows.GroupBy(r => r.Protocol).ToList();
        var wait = new LineChart { Title = "ES queue wait vs offered load", XLabel = "offered rate (requests/s)", YLabel = "mean ES queue wait (ms)" };
        var e2e = new LineChart { Title = "End-to-end latency vs offered load", XLabel = "offered rate (requests/s)", YLabel = "p95 end-to-end (ms)" };
        foreach (var group in byProtocol)
        {
            var points = group.OrderBy(r => r.OfferedRate).ToList();
            var x = points.Select(r => r.OfferedRate).ToArray();
            wait.Add(new Series($"{group.Key} measured", x, points.Select(r => r.WaitMeanMs).ToArray()));
            if (points.Any(r => double.IsFinite(r.TheoryWaitMdcMs)))
            {
                wait.Add(new Series($"{group.Key} M/D/c", x, points.Select(r => r.TheoryWaitMdcMs).ToArray(), Dashed: true, Markers: false));
                wait.Add(new Series($"{group.Key} M/M/c", x, points.Select(r => r.TheoryWaitMmcMs).ToArray(), Dashed: true, Markers: false));
            }

            e2e.Add(new Series(group.Key, x, points.Select(r => r.E2eP95Ms).ToArray()));
        }

        wait.Save(Path.Combine(folder, "wait_vs_load.png"));
        e2e.Save(Path.Combine(folder, "e2e_vs_load.png"));

        // Latency CDFs: one line per level (at most 8), the share of completed requests within each latency.
        var cdf = new LineChart { Title = "End-to-end latency CDF", XLabel = "end-to-end (ms)", YLabel = "share of completed requests" };
        foreach (var level in levels.Take(8))
        {
            var latencies = level.Requests.Where(r => !r.Warmup && r.Outcome == Outcomes.Completed).Select(r => r.EndToEndMs!.Value).Order().ToArray();
            if (latencies.Length > 0)
            {
                cdf.Add(new Series(level.Spec.Label, latencies, latencies.Select((_, i) => (i + 1.0) / latencies.Length).ToArray(), Markers: false));
            }
        }

        cdf.Save(Path.Combine(folder, "latency_cdf.png"));

        // Where a completed request's time goes, per level (at most 24): its mean parts stacked.
        var shown = rows.Take(24).ToArray();
        var breakdown = new StackedBarChart
        {
            Title = "Mean time of a completed request by part (ms)",
            YLabel = "ms",
            Categories = shown.Select(r => FormattableString.Invariant($"{r.Protocol}@{r.OfferedRate:0.##}")).ToArray(),
            Parts =
            [
                ("ES queue wait", shown.Select(r => r.WaitMeanMs).ToArray()),
                ("ES service", shown.Select(r => r.EsServiceMeanMs).ToArray()),
                ("UE wait", shown.Select(r => r.UeWaitMeanMs).ToArray()),
                ("UE service", shown.Select(r => r.UeServiceMeanMs).ToArray()),
                ("channel", shown.Select(r => r.ChannelMeanMs).ToArray()),
            ],
        };
        breakdown.Save(Path.Combine(folder, "time_by_part.png"), Math.Max(900, 80 * shown.Length + 200), 560);
    }

    /// <summary>The console table: a line per level.</summary>
    public static string Table(IReadOnlyList<LevelSummary> rows)
    {
        var text = new StringBuilder();
        text.AppendLine(string.Create(CultureInfo.InvariantCulture,
            $"{"protocol",-14} {"offered/s",9} {"done/s",7} {"done",5} {"503",4} {"fail",4} {"tout",4} {"p50 ms",8} {"p95 ms",8} {"p99 ms",8} {"wait ms",8} {"M/D/c ms",8} {"ES util",7} {"goodput",7}"));
        foreach (var r in rows)
        {
            var line = string.Create(CultureInfo.InvariantCulture,
                $"{r.Protocol,-14} {r.OfferedRate,9:0.###} {r.AchievedRate,7:0.###} {r.Completed,5} {r.Refused,4} {r.Failed + r.Unfinished,4} {r.TimedOut,4} {r.E2eP50Ms,8:0} {r.E2eP95Ms,8:0} {r.E2eP99Ms,8:0} {r.WaitMeanMs,8:0} {r.TheoryWaitMdcMs,8:0} {r.EsUtilisation,7:0.00} {r.Goodput,7:0.00}");
            var behind = r.KeptUp ? "" : string.Create(CultureInfo.InvariantCulture, $"  (generator fell behind: p99 send lateness {r.SendLatenessP99Ms:0} ms)");
            text.AppendLine(line + behind);
        }

        return text.ToString();
    }
}
