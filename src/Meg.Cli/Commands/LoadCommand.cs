using System.CommandLine;
using System.Globalization;
using Meg.Load.Arrivals;
using Meg.Load.Reporting;
using Meg.Load.Running;
using Meg.Protocols.BuiltIn;

namespace Meg.Cli.Commands;

/// <summary>`meg load`: an open-loop (or closed-loop) load generator against the running system (`meg up`), with users'
/// waits per protocol and offered rate beside queueing theory.</summary>
public static class LoadCommand
{
    /// <summary>The MEG queueing experiment: the case-study protocols and two multi-ES ones, on K = 2 edge servers.</summary>
    public static readonly string[] ExperimentProtocols = ["Centralized", "EIUG", "CIAG", "UIDG", "UIDCG"];

    public static Command Create()
    {
        var connection = Jobs.GatewayOptions.Create(loopbackOnly: true);
        var protocols = new Option<string>("--protocols") { Description = "Protocols, each swept alone over the rates (comma-separated).", DefaultValueFactory = _ => "Centralized,CIAG" };
        var mix = new Option<string?>("--mix") { Description = "Send protocols together with weights instead, e.g. Centralized:3,CIAG:1." };
        var rates = new Option<string?>("--rates") { Description = "Offered rates in requests/s, run in the order given, e.g. 0.5,1,2 (or 1,4,1 for an overload and the recovery after it)." };
        var loads = new Option<string?>("--loads") { Description = "Target ES utilisations instead of rates, e.g. 0.5,0.7,0.85: a calibration level measures each protocol's ES service time first." };
        var duration = new Option<double>("--duration") { Description = "Seconds of measured arrivals per level, 5-3600.", DefaultValueFactory = _ => 60 };
        var warmup = new Option<double>("--warmup") { Description = "Seconds of arrivals before the measured ones (not counted), 0-600.", DefaultValueFactory = _ => 10 };
        var arrivals = new Option<string>("--arrivals") { Description = "poisson, gamma (with --scv), constant or trace (with --trace).", DefaultValueFactory = _ => "poisson" };
        var scv = new Option<double>("--scv") { Description = "Gamma arrivals: squared coefficient of variation of the gaps (1 = Poisson, >1 bursty).", DefaultValueFactory = _ => 1 };
        var trace = new Option<string?>("--trace") { Description = "CSV of offset_s,protocol,item to replay (with --arrivals trace)." };
        var users = new Option<int>("--closed-users") { Description = "Closed loop instead: this many users, each waiting for its last request and a think time.", DefaultValueFactory = _ => 0 };
        var think = new Option<double>("--think") { Description = "Closed loop: mean think time in seconds (exponential).", DefaultValueFactory = _ => 1 };
        var seed = new Option<ulong>("--seed") { Description = "Random seed of the arrivals, the protocol and item draws and each request's generation.", DefaultValueFactory = _ => 1 };
        var steps = new Option<int>("--steps") { Description = "Denoising steps per request.", DefaultValueFactory = _ => 20 };
        var channel = new Option<string>("--channel") { Description = "Channel of every request: noiseless, awgn, rayleigh, rician, digital or capacity.", DefaultValueFactory = _ => "awgn" };
        var snr = new Option<double>("--snr") { Description = "SNR in dB.", DefaultValueFactory = _ => 10 };
        var edgeServers = new Option<int>("--edge-servers") { Description = "Edge servers the system runs (as started with meg up), for the theory.", DefaultValueFactory = _ => 2 };
        var slots = new Option<int>("--slots") { Description = "Slots per edge server (as started with meg up), for the theory.", DefaultValueFactory = _ => 1 };
        var slo = new Option<string>("--slo") { Description = "Service-level objective for goodput, e.g. e2e=5s,wait=2s.", DefaultValueFactory = _ => "e2e=5s,wait=2s" };
        var findMax = new Option<bool>("--find-max-rate") { Description = "Search the highest rate meeting the SLO (bisection, up to 6 levels) between the lowest and highest of --rates or --loads." };
        var sloTarget = new Option<double>("--slo-target") { Description = "Goodput a level needs to meet the SLO, 0.5-1.", DefaultValueFactory = _ => 0.95 };
        var experiment = new Option<bool>("--experiment") { Description = "The MEG queueing experiment: " + string.Join(", ", ExperimentProtocols) + " at 0.5 to 6 requests/s each (K = 2)." };
        var quick = new Option<bool>("--quick") { Description = "With --experiment: fewer loads and shorter levels (a few minutes)." };
        var output = new Option<string>("--out") { Description = "Output folder.", DefaultValueFactory = _ => "results/load" };
        var model = new Option<string?>("--model") { Description = "Model folder whose eval/ set supplies prompts and sketches. Default: the shipped model." };
        var command = new Command("load", "Load-test the running system (meg up): users' waits and latency per protocol and offered rate, beside M/D/c, M/M/c and G/G/c theory.")
        {
            connection.Gateway, connection.ApiKey, protocols, mix, rates, loads, duration, warmup, arrivals, scv, trace, users, think, seed, steps, channel, snr, edgeServers, slots, slo,
            experiment, quick, output, model, findMax, sloTarget,
        };
        command.SetAction((parse, cancellationToken) => CliErrors.Run(async () =>
        {
            var gatewayUri = connection.GatewayUri(parse);

            var isExperiment = parse.GetValue(experiment);
            var isQuick = parse.GetValue(quick);
            var rateList = Numbers(parse.GetValue(rates), "--rates", 0.001, 1000);
            var loadList = Numbers(parse.GetValue(loads), "--loads", 0.01, 5);
            if (isExperiment && rateList.Count == 0 && loadList.Count == 0)
            {
                // The same rates for every protocol, so waits compare at a common load; from light to past saturation
                // of two edge servers on this 2-core machine.
                rateList = isQuick ? [1, 2, 4] : [0.5, 1, 2, 3, 4, 6];
            }

            if ((rateList.Count == 0) == (loadList.Count == 0) && parse.GetValue(users) == 0)
            {
                throw new ArgumentException("Give either --rates (requests/s) or --loads (ES utilisations), not both and not neither (or --closed-users, or --experiment).");
            }

            var kind = parse.GetValue(arrivals)!.ToLowerInvariant() switch
            {
                "poisson" => ArrivalKind.Poisson,
                "gamma" => ArrivalKind.Gamma,
                "constant" => ArrivalKind.Constant,
                "trace" => ArrivalKind.Trace,
                var other => throw new ArgumentException($"--arrivals must be poisson, gamma, constant or trace; got '{other}'."),
            };
            if (kind == ArrivalKind.Trace && parse.GetValue(trace) is not { } traceFile)
            {
                throw new ArgumentException("--arrivals trace needs --trace with a CSV of offset_s,protocol,item.");
            }

            var names = (isExperiment ? string.Join(",", ExperimentProtocols) : parse.GetValue(protocols)!)
                .Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(n => ProtocolCatalog.Get(n).Name).ToArray();
            var protocolMix = parse.GetValue(mix) is { } mixText ? ProtocolMix.Parse(mixText) : null;
            if (protocolMix is not null)
            {
                protocolMix = new ProtocolMix(protocolMix.Weights.Select(w => (ProtocolCatalog.Get(w.Protocol).Name, w.Weight)).ToList());
            }

            var (sloE2e, sloWait) = ParseSlo(parse.GetValue(slo)!);
            var durationS = Range(parse.GetValue(duration), "--duration", 5, 3600);
            var warmupS = Range(parse.GetValue(warmup), "--warmup", 0, 600);
            if (isExperiment && isQuick)
            {
                (durationS, warmupS) = (Math.Min(durationS, 25), Math.Min(warmupS, 5));
            }

            var options = new LoadOptions
            {
                Gateway = gatewayUri,
                ApiKey = connection.Key(parse),
                Protocols = names,
                Mix = protocolMix,
                Rates = rateList,
                Utilisations = loadList,
                Duration = TimeSpan.FromSeconds(durationS),
                Warmup = TimeSpan.FromSeconds(warmupS),
                Arrivals = kind,
                ArrivalScv = Range(parse.GetValue(scv), "--scv", 0.01, 100),
                TraceFile = parse.GetValue(trace),
                ClosedUsers = (int)Range(parse.GetValue(users), "--closed-users", 0, 1000),
                ThinkTime = TimeSpan.FromSeconds(Range(parse.GetValue(think), "--think", 0, 3600)),
                RandomSeed = parse.GetValue(seed),
                Steps = (int)Range(parse.GetValue(steps), "--steps", 1, 1000),
                Channel = JobChannel(parse.GetValue(channel)!),
                SnrDb = Range(parse.GetValue(snr), "--snr", -50, 100),
                EdgeServers = (int)Range(parse.GetValue(edgeServers), "--edge-servers", 1, 16),
                Slots = (int)Range(parse.GetValue(slots), "--slots", 1, 64),
                SloEndToEnd = sloE2e,
                SloWait = sloWait,
                SloTarget = Range(parse.GetValue(sloTarget), "--slo-target", 0.5, 1),
                FindMaxRate = parse.GetValue(findMax),
                EvaluationFolder = Path.Combine(RepositoryLayout.LocateModel(parse.GetValue(model)), "eval"),
                OutputFolder = parse.GetValue(output)!,
            };
            if (options.FindMaxRate && Math.Max(rateList.Count, loadList.Count) < 2)
            {
                throw new ArgumentException("--find-max-rate searches between the lowest and highest of --rates (or --loads): give at least two.");
            }

            IReadOnlyList<LevelSummary> rows;
            var run = new LoadRun(options, line => Console.Error.WriteLine(line));
            try
            {
                rows = await run.RunAsync(cancellationToken);
            }
            catch (Exception e) when (e is InvalidOperationException or HttpRequestException)
            {
                Console.Error.WriteLine($"error: {e.Message}");
                return 1;
            }

            Console.WriteLine(LoadReport.Table(rows));
            foreach (var (protocol, max) in run.MaxRates)
            {
                Console.WriteLine(max is { } m
                    ? string.Create(CultureInfo.InvariantCulture, $"{protocol}: highest rate meeting the SLO {m:0.###}/s")
                    : $"{protocol}: the lowest rate tried already misses the SLO");
            }

            Console.WriteLine($"Wrote {Path.Combine(options.OutputFolder, "load.csv")}, requests.csv, load.json and the plots (wait_vs_load.png, e2e_vs_load.png, latency_cdf.png, time_by_part.png).");
            return 0;
        }));
        return command;
    }

    private static string JobChannel(string name) => name.Trim().ToLowerInvariant() is var n && n is "noiseless" or "awgn" or "rayleigh" or "rician" or "digital" or "capacity"
        ? n
        : throw new ArgumentException($"--channel must be noiseless, awgn, rayleigh, rician, digital or capacity; got '{name}'.");

    private static double Range(double value, string option, double low, double high) =>
        double.IsFinite(value) && value >= low && value <= high ? value : throw new ArgumentException($"{option} must be from {low} to {high}; got {value}.");

    private static List<double> Numbers(string? text, string option, double low, double high) =>
        text is null ? [] : text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(t =>
            double.TryParse(t, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) ? Range(v, option, low, high)
                : throw new ArgumentException($"{option} must be comma-separated numbers from {low} to {high}; got '{t}'.")).ToList();

    /// <summary>"e2e=5s,wait=2s" (s or ms) to the two bounds.</summary>
    internal static (TimeSpan EndToEnd, TimeSpan Wait) ParseSlo(string text)
    {
        var (e2e, wait) = (TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(2));
        foreach (var part in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var pieces = part.Split('=');
            var value = pieces.Length == 2 ? pieces[1].Trim() : "";
            var ms = value.EndsWith("ms", StringComparison.Ordinal) ? value[..^2] : value.EndsWith('s') ? value[..^1] : null;
            if (ms is null || !double.TryParse(ms, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) || number <= 0
                || pieces[0].Trim() is not ("e2e" or "wait"))
            {
                throw new ArgumentException($"--slo takes e2e=<time> and wait=<time> with s or ms, e.g. e2e=5s,wait=500ms; got '{part}'.");
            }

            var span = value.EndsWith("ms", StringComparison.Ordinal) ? TimeSpan.FromMilliseconds(number) : TimeSpan.FromSeconds(number);
            (e2e, wait) = pieces[0].Trim() == "e2e" ? (span, wait) : (e2e, span);
        }

        return (e2e, wait);
    }
}
