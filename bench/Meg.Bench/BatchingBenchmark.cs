using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Meg.Charts;

namespace Meg.Bench;

/// <summary>
/// Step-level batching on one edge server, measured on the running system: `meg up` with one ES (on its own core when
/// the machine has two or more), batching off, then on; each time the highest throughput it sustains (a closed loop
/// that keeps the ES busy) and an open-loop rate sweep at fractions of the unbatched capacity, with `meg load`.
/// Prints the throughput ratio last. Starts and stops everything it needs.
/// </summary>
internal sealed class BatchingBenchmark : IBenchmark
{
    private static readonly double[] SweepFractions = [0.5, 0.8, 1.1, 1.4];

    public string Name => "batching";

    public string Description => "Edge-server throughput and queue wait, batching on vs off, on the running system [--max-batch 8] [--protocol Centralized] [--duration 40] [--es-cpus 1 --other-cpus 0] [--provider cpu|cuda] [--trace-sampling 0.05] [--out results/batching] [--report-only]";

    public int Run(string[] args)
    {
        var maxBatch = 8;
        var protocol = "Centralized";
        var duration = 40.0;
        var output = "results/batching";
        var provider = "cpu";
        var reportOnly = false;
        // Every job's trace would cost the dashboard about 30% of a core at 10 jobs/s, on the cores the ES needs.
        var traceSampling = 0.05;
        // By default the ES on core 1, everything else (the load generator too) on core 0, so the ES measured is undisturbed.
        string? esCpus = Environment.ProcessorCount >= 2 ? "1" : null;
        string? otherCpus = Environment.ProcessorCount >= 2 ? "0" : null;
        for (var i = 0; i < args.Length; i++)
        {
            string Next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value.");
            switch (args[i])
            {
                case "--max-batch": maxBatch = int.Parse(Next(), CultureInfo.InvariantCulture); break;
                case "--protocol": protocol = Next(); break;
                case "--duration": duration = double.Parse(Next(), CultureInfo.InvariantCulture); break;
                case "--out": output = Next(); break;
                case "--es-cpus": esCpus = Next(); break;
                case "--provider": provider = Next(); break;
                case "--report-only": reportOnly = true; break;
                case "--other-cpus": otherCpus = Next(); break;
                case "--trace-sampling": traceSampling = double.Parse(Next(), CultureInfo.InvariantCulture); break;
                default:
                    Console.Error.WriteLine($"batching: unknown option '{args[i]}'; use --max-batch N (2-256), --protocol P, --duration S (10-600), --es-cpus LIST, --other-cpus LIST, --provider cpu|cuda, --trace-sampling 0-1, --out DIR, --report-only (redraw from DIR's runs).");
                    return 2;
            }
        }

        if (maxBatch is < 2 or > 256 || duration is < 10 or > 600)
        {
            Console.Error.WriteLine($"batching: --max-batch must be from 2 to 256 (got {maxBatch}) and --duration from 10 to 600 s (got {duration}).");
            return 2;
        }

        if (!double.IsFinite(traceSampling) || traceSampling is < 0 or > 1)
        {
            Console.Error.WriteLine($"batching: --trace-sampling must be from 0 to 1 (got {traceSampling}).");
            return 2;
        }

        var root = RepositoryLayout.Root;
        output = Path.GetFullPath(output);
        Directory.CreateDirectory(output);
        if ((esCpus is null) != (otherCpus is null))
        {
            Console.Error.WriteLine("batching: give --es-cpus and --other-cpus together.");
            return 2;
        }

        var placement = new Placement(esCpus, otherCpus, provider, traceSampling);
        Console.WriteLine($"{protocol}, one edge server, {(esCpus is null ? "unpinned" : $"on CPU {esCpus}, everything else (the load generator too) on CPU {otherCpus}")}; " +
                          $"batching off (1) against on (max batch {maxBatch}); {duration:0} s levels.");

        var off = reportOnly ? Read(output, "off", 1) : Measure(root, output, "off", 1, protocol, duration, placement, capacityOff: null);
        var on = reportOnly ? Read(output, "on", maxBatch) : Measure(root, output, "on", maxBatch, protocol, duration, placement, off.Capacity);
        var ratio = on.Capacity / off.Capacity;
        var atEight = SweepFractions.ToList().IndexOf(0.8);
        var waitRatio = off.Sweep[atEight].WaitP95Ms / Math.Max(on.Sweep[atEight].WaitP95Ms, 0.001);

        Report(output, protocol, maxBatch, placement, off, on, ratio, waitRatio);
        Console.WriteLine();
        Console.WriteLine($"{"batching",-10}{"capacity/s",12}{"  p95 ES wait (ms) at offered rate (/s):"}");
        Console.WriteLine($"{"",-10}{"",12}{string.Concat(off.Sweep.Select(l => $"{l.OfferedRate,10:0.00}"))}");
        foreach (var (name, run) in new[] { ("off", off), ($"on ({maxBatch})", on) })
        {
            Console.WriteLine($"{name,-10}{run.Capacity,12:0.00}{string.Concat(run.Sweep.Select(l => $"{l.WaitP95Ms,10:0}"))}");
        }

        Console.WriteLine($"p95 ES queue wait at 0.8 x the unbatched capacity ({off.Sweep[atEight].OfferedRate:0.00}/s): off {off.Sweep[atEight].WaitP95Ms:0} ms, " +
                          $"on {on.Sweep[atEight].WaitP95Ms:0} ms, {waitRatio:0.0}x lower");
        // A batched job waits less for the ES but shares it with the batch while it runs: the end-to-end view.
        Console.WriteLine($"p95 end to end at that rate: off {off.Sweep[atEight].E2eP95Ms:0} ms, on {on.Sweep[atEight].E2eP95Ms:0} ms; " +
                          $"at {off.Sweep[^1].OfferedRate:0.00}/s: off {off.Sweep[^1].E2eP95Ms:0} ms, on {on.Sweep[^1].E2eP95Ms:0} ms");
        Console.WriteLine($"Results: {output} (batching.csv, batching.json, batching_wait_vs_rate.png, and each meg load run's folder)");
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"batching throughput ratio: {ratio:0.00}"));
        return 0;
    }

    /// <summary>One system start: its capacity (closed loop, the ES never idle) and the rate sweep.</summary>
    private static RunResult Measure(string root, string output, string name, int maxBatch, string protocol, double duration, Placement placement, double? capacityOff)
    {
        Console.WriteLine($"[{name}] starting meg up (max batch {maxBatch})...");
        string[] up = ["up", "--edge-servers", "1", "--max-batch", $"{maxBatch}", "--max-jobs", "400", "--queue-timeout", "600", "--no-auth",
            "--trace-sampling", Invariant(placement.TraceSampling)];
        if (placement.EsCpus is not null)
        {
            up = [.. up, "--es-cpus", placement.EsCpus, "--other-cpus", placement.OtherCpus!];
        }

        if (placement.Provider != "cpu")
        {
            up = [.. up, "--provider", placement.Provider]; // the edge server's model on the GPU (MEG_CUDA=1 builds that flavour)
        }

        using var system = StartSystem(root, up);
        try
        {
            // Enough users that the ES always has a full batch waiting; think time 0: each sends again as soon as answered.
            var users = 2 * maxBatch + 2;
            var capacityFolder = Path.Combine(output, name, "capacity");
            Load(root, placement, ["load", "--protocols", protocol, "--closed-users", $"{Math.Max(users, 18)}", "--think", "0", "--duration", Invariant(duration),
                "--warmup", "10", "--edge-servers", "1", "--out", capacityFolder]);
            var capacity = ReadLevels(capacityFolder).Single().AchievedRate;
            Console.WriteLine($"[{name}] capacity {capacity:0.00} jobs/s");

            var basis = capacityOff ?? capacity;
            var rates = SweepFractions.Select(f => Math.Round(f * basis, 2)).ToArray();
            var sweepFolder = Path.Combine(output, name, "sweep");
            Load(root, placement, ["load", "--protocols", protocol, "--rates", string.Join(",", rates.Select(Invariant)), "--duration", Invariant(duration),
                "--warmup", "5", "--edge-servers", "1", "--slo", "e2e=5s,wait=2s", "--out", sweepFolder]);
            return new RunResult(name, maxBatch, capacity, ReadLevels(sweepFolder));
        }
        finally
        {
            Stop(system);
        }
    }

    /// <summary>A run measured before, from its meg load folders.</summary>
    private static RunResult Read(string output, string name, int maxBatch) =>
        new(name, maxBatch, ReadLevels(Path.Combine(output, name, "capacity")).Single().AchievedRate, ReadLevels(Path.Combine(output, name, "sweep")));

    private static Process StartSystem(string root, string[] arguments)
    {
        var start = new ProcessStartInfo(Path.Combine(root, "meg")) { WorkingDirectory = root, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in arguments)
        {
            start.ArgumentList.Add(a);
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException("Could not start meg up.");
        var up = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var log = new List<string>();
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is null)
            {
                up.TrySetException(new InvalidOperationException("meg up ended before the system was up:\n" + string.Join('\n', log.TakeLast(30))));
                return;
            }

            lock (log)
            {
                log.Add(e.Data);
            }

            if (e.Data.StartsWith("MEG is up", StringComparison.Ordinal))
            {
                up.TrySetResult();
            }
        };
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                lock (log)
                {
                    log.Add(e.Data);
                }
            }
        };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        if (!up.Task.Wait(TimeSpan.FromMinutes(6)))
        {
            Stop(process);
            throw new TimeoutException("meg up was not up within 6 minutes:\n" + string.Join('\n', log.TakeLast(30)));
        }

        return process;
    }

    /// <summary>SIGTERM, as Ctrl+C: meg up stops every resource it started before it exits.</summary>
    private static void Stop(Process process)
    {
        if (!process.HasExited)
        {
            using var kill = Process.Start("kill", ["-TERM", process.Id.ToString(CultureInfo.InvariantCulture)]);
            kill?.WaitForExit();
            if (!process.WaitForExit(TimeSpan.FromMinutes(2)))
            {
                process.Kill(entireProcessTree: true);
            }
        }
    }

    private static void Load(string root, Placement placement, string[] arguments)
    {
        // The load generator shares the other services' cores.
        var start = placement.OtherCpus is not null ? new ProcessStartInfo("taskset") : new ProcessStartInfo(Path.Combine(root, "meg"));
        if (placement.OtherCpus is not null)
        {
            start.ArgumentList.Add("-c");
            start.ArgumentList.Add(placement.OtherCpus);
            start.ArgumentList.Add(Path.Combine(root, "meg"));
        }

        foreach (var a in arguments)
        {
            start.ArgumentList.Add(a);
        }

        start.WorkingDirectory = root;
        using var load = Process.Start(start) ?? throw new InvalidOperationException("Could not start meg load.");
        load.WaitForExit();
        if (load.ExitCode != 0)
        {
            throw new InvalidOperationException($"meg {string.Join(' ', arguments)} failed with exit code {load.ExitCode}.");
        }
    }

    private static List<Level> ReadLevels(string folder)
    {
        var lines = File.ReadAllLines(Path.Combine(folder, "load.csv"));
        var header = lines[0].Split(',').Select((name, i) => (name, i)).ToDictionary(c => c.name, c => c.i);
        double Column(string[] row, string name) => double.Parse(row[header[name]], CultureInfo.InvariantCulture);
        return lines.Skip(1).Where(l => l.Length > 0).Select(l => l.Split(',')).Select(row => new Level(
            Column(row, "offered_rate"), Column(row, "achieved_rate"), Column(row, "completed"), Column(row, "e2e_p50_ms"), Column(row, "e2e_p95_ms"),
            Column(row, "wait_mean_ms"), Column(row, "wait_p95_ms"), Column(row, "es_service_mean_ms"), Column(row, "es_utilisation"))).ToList();
    }

    private static void Report(string output, string protocol, int maxBatch, Placement placement, RunResult off, RunResult on, double ratio, double waitRatio)
    {
        var csv = new List<string> { "batching,max_batch,capacity_per_s,offered_rate,achieved_rate,completed,e2e_p50_ms,e2e_p95_ms,wait_mean_ms,wait_p95_ms,es_service_mean_ms,es_utilisation" };
        foreach (var run in new[] { off, on })
        {
            csv.AddRange(run.Sweep.Select(l => string.Create(CultureInfo.InvariantCulture,
                $"{run.Name},{run.MaxBatch},{run.Capacity:0.###},{l.OfferedRate},{l.AchievedRate},{l.Completed},{l.E2eP50Ms:0.#},{l.E2eP95Ms:0.#},{l.WaitMeanMs:0.#},{l.WaitP95Ms:0.#},{l.EsServiceMeanMs:0.#},{l.EsUtilisation:0.###}")));
        }

        File.WriteAllLines(Path.Combine(output, "batching.csv"), csv);
        File.WriteAllText(Path.Combine(output, "batching.json"), JsonSerializer.Serialize(new
        {
            protocol, maxBatch, provider = placement.Provider, esCpus = placement.EsCpus, otherCpus = placement.OtherCpus, cores = Environment.ProcessorCount,
            throughputRatio = ratio, waitP95RatioAt08 = waitRatio, off, on,
        }, new JsonSerializerOptions { WriteIndented = true }));

        var chart = new LineChart
        {
            Title = $"{protocol} on one edge server{(placement.EsCpus is null ? "" : $" (CPU {placement.EsCpus})")}: batching off vs on (max batch {maxBatch})",
            XLabel = "offered rate (requests/s)",
            YLabel = "p95 ES queue wait and end to end (ms, log)",
            LogY = true,
        };
        foreach (var run in new[] { off, on })
        {
            var label = run.MaxBatch == 1 ? "off" : $"on ({run.MaxBatch})";
            chart.Add(new Series($"wait, {label}", run.Sweep.Select(l => l.OfferedRate).ToArray(), run.Sweep.Select(l => Math.Max(l.WaitP95Ms, 1)).ToArray()));
            chart.Add(new Series($"e2e, {label}", run.Sweep.Select(l => l.OfferedRate).ToArray(), run.Sweep.Select(l => Math.Max(l.E2eP95Ms, 1)).ToArray(), Dashed: true));
        }

        chart.Save(Path.Combine(output, "batching_wait_vs_rate.png"));
    }

    private static string Invariant(double value) => value.ToString(CultureInfo.InvariantCulture);

    private sealed record Level(double OfferedRate, double AchievedRate, double Completed, double E2eP50Ms, double E2eP95Ms, double WaitMeanMs, double WaitP95Ms,
        double EsServiceMeanMs, double EsUtilisation);

    private sealed record Placement(string? EsCpus, string? OtherCpus, string Provider, double TraceSampling);

    private sealed record RunResult(string Name, int MaxBatch, double Capacity, List<Level> Sweep);
}
