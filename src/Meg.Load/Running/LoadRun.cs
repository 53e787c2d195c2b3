using System.Globalization;
using Meg.Load.Arrivals;
using Meg.Load.Reporting;
using Meg.Protocols;
using Meg.Protocols.BuiltIn;

namespace Meg.Load.Running;

/// <summary>
/// A whole load run: the levels (each protocol, or the mix, at each rate; or at each target utilisation after a
/// calibration level that measures the ES service time one request at a time), run one after another, then the report.
/// </summary>
public sealed class LoadRun(LoadOptions options, Action<string> progress)
{
    /// <summary>With <see cref="LoadOptions.FindMaxRate"/>: per protocol (or mix), the highest rate found within the SLO.</summary>
    public List<(string Protocol, double? MaxRate)> MaxRates { get; } = [];

    public async Task<IReadOnlyList<LevelSummary>> RunAsync(CancellationToken cancellationToken)
    {
        using var client = LoadClient.For(options.Gateway, options.ApiKey);
        var workload = new Workload(options);
        var runner = new LevelRunner(client, workload, options, progress);
        var start = await client.QueuesAsync(cancellationToken)
            ?? throw new InvalidOperationException($"The system at {options.Gateway} did not answer /api/system/queues; is it running (./meg up)?");
        progress(string.Create(CultureInfo.InvariantCulture,
            $"System: {start.Nodes.Count(n => n.Kind == "edge-server")} edge servers, admission limit {start.MaxJobs} jobs, {start.JobsInSystem} in the system now, user devices at {start.UeSpeed:0.##}x this machine's speed."));

        var mixes = options.Mix is { } mix ? [mix] : options.Protocols.Select(ProtocolMix.Only).ToList();
        var results = new List<LevelResult>();
        var rows = new List<LevelSummary>();
        var index = 0;
        foreach (var levelMix in mixes)
        {
            (double MeanMs, double Scv)? service = null;
            IReadOnlyList<double> rates = options.Rates;
            if (options.Utilisations.Count > 0)
            {
                var calibration = await runner.RunAsync(new LoadLevel(index++, $"{levelMix} calibration", levelMix, 0, [], Closed: true)
                {
                    // Back to back: an edge server that pauses between jobs runs each one slower (its threads and
                    // caches go cold), so one request at a time would overstate the service time under load.
                    Users = options.EdgeServers * options.Slots + 1,
                    RequestsPerUser = options.CalibrationRequests,
                    Think = TimeSpan.Zero,
                }, cancellationToken);
                // The first half warms the services up (compiled code, caches, connections) and is left out.
                var completed = calibration.Requests.Where(r => r.Outcome == Outcomes.Completed).OrderBy(r => r.IntendedMs).ToArray();
                var services = completed.Skip(completed.Length / 2).Select(r => r.EsServiceMs).ToArray();
                service = LevelSummary.MeanAndScv(services);
                if (!double.IsFinite(service.Value.MeanMs) || service.Value.MeanMs <= 0)
                {
                    throw new InvalidOperationException($"The calibration of {levelMix} completed no request with ES work; see {options.OutputFolder}.");
                }

                var servers = options.EdgeServers * options.Slots;
                rates = options.Utilisations.Select(u => u * servers / (service.Value.MeanMs / 1000)).ToArray();
                progress(string.Create(CultureInfo.InvariantCulture,
                    $"{levelMix}: ES service {service.Value.MeanMs:0} ms (SCV {service.Value.Scv:0.000}) with the edge servers kept busy; rates {string.Join(", ", rates.Select(r => r.ToString("0.###", CultureInfo.InvariantCulture)))} /s"));
            }

            var singleEdge = levelMix.Protocols.All(IsSingleEdge);
            async Task<LevelSummary> RunLevelAsync(double rate)
            {
                var planned = options.ClosedUsers > 0 ? []
                    : options.Arrivals == ArrivalKind.Trace
                    ? ArrivalSchedule.ReadTrace(options.TraceFile!, levelMix.Protocols.ToList(), workload.Items)
                    : ArrivalSchedule.Generate(options.Arrivals, rate, options.Warmup + options.Duration, levelMix, workload.Items,
                        options.RandomSeed + (ulong)index, options.ArrivalScv);
                var label = string.Create(CultureInfo.InvariantCulture, $"{levelMix} @ {rate:0.###}/s");
                var spec = options.ClosedUsers > 0
                    ? new LoadLevel(index++, $"{levelMix} x {options.ClosedUsers} users (closed loop)", levelMix, 0, [], Closed: true) { Users = options.ClosedUsers, Think = options.ThinkTime }
                    : new LoadLevel(index++, label, levelMix, rate, planned);
                progress($"[{spec.Index + 1}] {spec.Label}: {spec.Planned.Count} requests over {(options.Warmup + options.Duration).TotalSeconds:0} s ({options.Warmup.TotalSeconds:0} s warm-up)");
                var result = await runner.RunAsync(spec, cancellationToken);
                results.Add(result);
                var row = LevelSummary.Of(result, options, service, singleEdge);
                service ??= double.IsFinite(row.EsServiceMeanMs) ? (row.EsServiceMeanMs, row.EsServiceScv) : null; // the first level's, for the rest (give the lowest rate first, or use --loads)
                rows.Add(row);
                LoadReport.Write(options, rows, results, start, "partial");
                return row;
            }

            if (options.ClosedUsers > 0)
            {
                await RunLevelAsync(0); // a closed loop has no rate to sweep
            }
            else if (options.FindMaxRate)
            {
                // Between the lowest and the highest rate given: a level meets the SLO when its goodput reaches the target.
                var found = await MaxRateSearch.FindAsync(rates.Min(), rates.Max(),
                    async rate => (await RunLevelAsync(rate)).Goodput >= options.SloTarget);
                MaxRates.Add((levelMix.ToString(), found));
                progress(found is { } max
                    ? string.Create(CultureInfo.InvariantCulture, $"{levelMix}: the highest rate meeting the SLO is {max:0.###}/s (goodput >= {options.SloTarget:0.##})")
                    : $"{levelMix}: even the lowest rate misses the SLO");
            }
            else
            {
                foreach (var rate in rates)
                {
                    await RunLevelAsync(rate);
                }
            }
        }

        LoadReport.Write(options, rows, results, start, "complete");
        return rows;
    }

    private bool IsSingleEdge(string protocol) =>
        ProtocolCatalog.Build(protocol, new PlanParameters { TotalSteps = options.Steps, EdgeServers = options.EdgeServers }).Nodes.Count(n => !n.IsUserEquipment) == 1;
}
