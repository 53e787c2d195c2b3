using HdrHistogram;
using Meg.Load.Arrivals;
using Meg.Load.Running;
using Meg.Load.Theory;

namespace Meg.Load.Reporting;

/// <summary>One row of load.csv: a level's outcome counts, latency percentiles (HdrHistogram), where the time went, the
/// edge servers' utilisation, goodput against the SLO, and the queueing theory's waits for the same load.</summary>
public sealed record LevelSummary(
    int Level,
    string Protocol,
    double OfferedRate,
    double AchievedRate,
    int Sent,
    int Completed,
    int Refused,
    int Failed,
    int TimedOut,
    int Unfinished,
    double E2eP50Ms,
    double E2eP90Ms,
    double E2eP95Ms,
    double E2eP99Ms,
    double E2eMaxMs,
    double WaitMeanMs,
    double WaitP95Ms,
    double WaitCi95LowMs,
    double WaitCi95HighMs,
    double EsServiceMeanMs,
    double EsServiceScv,
    double UeWaitMeanMs,
    double UeServiceMeanMs,
    double ChannelMeanMs,
    double EsUtilisation,
    double MeanEsDepth,
    double LittleEsDepth,
    double SendLatenessP99Ms,
    bool KeptUp,
    double Goodput,
    double ArrivalScv,
    int EdgeServers,
    int Slots,
    double TheoryServiceMeanMs,
    double TheoryUtilisation,
    double TheoryWaitMdcMs,
    double TheoryWaitMmcMs,
    double TheoryWaitGgcMs,
    double OwnUtilisation,
    double OwnWaitMdcMs)
{
    /// <summary>Summarizes <paramref name="result"/>; the theory uses <paramref name="service"/> (mean and SCV of the ES
    /// service time per job, measured at low load), over c = edge servers x slots for single-ES protocols (NaN for others).</summary>
    public static LevelSummary Of(LevelResult result, LoadOptions options, (double MeanMs, double Scv)? service, bool singleEdge)
    {
        var measured = result.Requests.Where(r => !r.Warmup).ToList();
        var completed = measured.Where(r => r.Outcome == Outcomes.Completed).ToList();
        var e2e = new LongHistogram(TimeSpan.FromMinutes(30).Ticks / 10, 3); // microseconds, 3 significant digits
        foreach (var r in completed)
        {
            e2e.RecordValue(Math.Max(1, (long)(r.EndToEndMs!.Value * 1000)));
        }

        double P(double percentile) => completed.Count == 0 ? double.NaN : e2e.GetValueAtPercentile(percentile) / 1000.0;
        var waits = completed.Select(r => r.EsWaitMs).Order().ToArray();
        var waitInterval = BatchMeansInterval(completed.OrderBy(r => r.IntendedMs).Select(r => r.EsWaitMs).ToArray());
        var services = completed.Select(r => r.EsServiceMs).ToArray();
        var (serviceMean, serviceScv) = MeanAndScv(services);
        var seconds = options.Duration.TotalSeconds;
        var offered = result.Spec.Closed ? measured.Count / seconds : result.Spec.OfferedRate;
        var waitMean = waits.Length == 0 ? double.NaN : waits.Average();
        var slo = completed.Count(r => r.EndToEndMs <= options.SloEndToEnd.TotalMilliseconds && r.EsWaitMs <= options.SloWait.TotalMilliseconds);
        var lateness = measured.Select(r => r.SendLatenessMs).Order().ToArray();
        var latenessP99 = lateness.Length == 0 ? 0 : lateness[(int)Math.Min(lateness.Length - 1, Math.Ceiling(0.99 * lateness.Length) - 1)];
        var gap = offered > 0 ? 1000 / offered : double.PositiveInfinity;
        var planned = result.Spec.Planned.Where(p => p.Offset >= options.Warmup).ToList();
        var arrivalScv = result.Spec.Closed ? double.NaN : ArrivalSchedule.GapScv(planned);

        var servers = options.EdgeServers * options.Slots;
        var theory = service ?? (serviceMean, serviceScv);
        var lambda = offered / 1000; // per ms
        double Theory(Func<double> wait) => singleEdge && double.IsFinite(theory.MeanMs) ? wait() : double.NaN;
        var depthSamples = result.Samples.Select(s => s.Nodes.Where(n => n.Kind == "edge-server").Sum(n => n.Depth)).ToArray();

        return new LevelSummary(
            result.Spec.Index, result.Spec.Mix.ToString(), offered, completed.Count / seconds,
            measured.Count, completed.Count,
            measured.Count(r => r.Outcome == Outcomes.Refused),
            measured.Count(r => r.Outcome is Outcomes.Failed or Outcomes.Rejected),
            measured.Count(r => r.Outcome == Outcomes.TimedOut),
            measured.Count(r => r.Outcome == Outcomes.Unfinished),
            P(50), P(90), P(95), P(99), completed.Count == 0 ? double.NaN : e2e.GetMaxValue() / 1000.0,
            waitMean, waits.Length == 0 ? double.NaN : waits[(int)Math.Min(waits.Length - 1, Math.Ceiling(0.95 * waits.Length) - 1)],
            waitInterval.Low,
            waitInterval.High,
            serviceMean, serviceScv,
            completed.Count == 0 ? double.NaN : completed.Average(r => r.UeWaitMs),
            completed.Count == 0 ? double.NaN : completed.Average(r => r.UeServiceMs),
            completed.Count == 0 ? double.NaN : completed.Average(r => r.ChannelMs),
            MeasureEsUtilisation(result, options),
            depthSamples.Length == 0 ? double.NaN : depthSamples.Average(),
            QueueingTheory.QueueLength(lambda, waitMean),
            latenessP99, latenessP99 <= Math.Max(10, 0.05 * gap),
            measured.Count == 0 ? double.NaN : (double)slo / measured.Count,
            arrivalScv, options.EdgeServers, options.Slots,
            theory.MeanMs,
            QueueingTheory.Utilisation(lambda, theory.MeanMs, servers),
            Theory(() => QueueingTheory.WaitMDc(lambda, theory.MeanMs, servers)),
            Theory(() => QueueingTheory.WaitMMc(lambda, theory.MeanMs, servers)),
            Theory(() => QueueingTheory.WaitGGc(lambda, theory.MeanMs, servers, double.IsFinite(arrivalScv) ? arrivalScv : 1, theory.Scv)),
            // The same theory at the service time this level itself measured (a check on the calibration).
            QueueingTheory.Utilisation(lambda, serviceMean, servers),
            singleEdge && double.IsFinite(serviceMean) ? QueueingTheory.WaitMDc(lambda, serviceMean, servers) : double.NaN);
    }

    /// <summary>The 95% interval of the mean of <paramref name="values"/> (in arrival order) by 10 batch means: successive
    /// waits in a queue are correlated, so the plain standard error would be far too narrow.</summary>
    public static (double Low, double High) BatchMeansInterval(IReadOnlyList<double> values)
    {
        const int batches = 10;
        const double t = 2.262; // Student's t, 9 degrees of freedom, 97.5%
        var size = values.Count / batches;
        if (size < 2)
        {
            return (double.NaN, double.NaN);
        }

        var means = Enumerable.Range(0, batches).Select(b => values.Skip(b * size).Take(size).Average()).ToArray();
        var mean = means.Average();
        var half = t * Math.Sqrt(means.Sum(m => (m - mean) * (m - mean)) / (batches - 1) / batches);
        return (mean - half, mean + half);
    }

    public static (double Mean, double Scv) MeanAndScv(IReadOnlyCollection<double> values)
    {
        if (values.Count < 2)
        {
            return (values.Count == 1 ? values.First() : double.NaN, double.NaN);
        }

        var mean = values.Average();
        var variance = values.Sum(v => (v - mean) * (v - mean)) / (values.Count - 1);
        return (mean, variance / (mean * mean));
    }

    /// <summary>The edge servers' busy share over the level: their service time added during it, over wall time and slots.</summary>
    private static double MeasureEsUtilisation(LevelResult result, LoadOptions options)
    {
        if (result.Before is not { } before || result.After is not { } after)
        {
            return double.NaN;
        }

        double Busy(QueueSnapshotView s) => s.Nodes.Where(n => n.Kind == "edge-server").Sum(n => n.ServiceMsTotal);
        var wall = (after.At - before.At).TotalMilliseconds;
        return wall <= 0 ? double.NaN : (Busy(after) - Busy(before)) / (wall * options.EdgeServers * options.Slots);
    }
}
