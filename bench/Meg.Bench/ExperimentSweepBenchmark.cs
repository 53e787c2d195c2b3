using Meg.Channel;
using Meg.Diffusion.Pipeline;
using Meg.Execution;
using Meg.Experiments;
using Meg.Protocols;

namespace Meg.Bench;

/// <summary>
/// The case-study sweep with each (protocol, item) prefix computed once and resumed for every SNR and decoder, against
/// every run computed whole (today's sweep before prefixes), in turns in one process on the same options as
/// `./meg experiment` with no options. Both sides must give the same results.csv and results_items.csv.
/// </summary>
internal sealed class ExperimentSweepBenchmark : IBenchmark
{
    public string Name => "experiment-sweep";

    public string Description => "the default experiment, whole runs vs resumed prefixes, in turns [--quick] [--items N] [--rounds N] [--out folder]";

    public int Run(string[] args)
    {
        var quick = args.Contains("--quick");
        var items = Value(args, "--items") is { } n ? int.Parse(n, System.Globalization.CultureInfo.InvariantCulture) : quick ? ExperimentOptions.Quick.Items : 8;
        var rounds = Value(args, "--rounds") is { } r ? int.Parse(r, System.Globalization.CultureInfo.InvariantCulture) : 1;
        var options = CliDefaults(quick) with { Items = items };
        var folder = RepositoryLayout.LocateModel(Value(args, "--model"));
        var evaluation = EvaluationSet.Load(Path.Combine(folder, "eval"));
        options.Validate(evaluation.Items.Count);
        using var pipeline = DiffusionPipeline.Load(folder);
        using var scorer = ClipStyleScorer.TryLoad(folder, pipeline.Options);
        var chosen = evaluation.Items.Take(options.Items).ToArray();
        Console.WriteLine($"Model {folder}, {Environment.ProcessorCount} cores: {options.Protocols.Count} protocols x {options.SnrDb.Count} SNRs x {options.Items} items, {options.Steps} steps");

        // Loads every model part and lets ONNX Runtime settle, outside the timing.
        new ExperimentRunner(pipeline, scorer).Run(options with { Items = 1, SnrDb = [options.SnrDb[0]] }, chosen[..1]);

        var times = new Dictionary<bool, List<double>> { [false] = [], [true] = [] };
        var csv = new Dictionary<bool, (string Summary, string Items)>();
        for (var round = 0; round < rounds; round++)
        {
            foreach (var reuse in new[] { false, true })
            {
                var runner = new ExperimentRunner(pipeline, scorer) { ReusePrefixes = reuse };
                var result = runner.Run(options, chosen);
                times[reuse].Add(result.Elapsed.TotalSeconds);
                csv[reuse] = (ExperimentReport.SummaryCsv(result), ExperimentReport.ItemsCsv(result));
                Console.WriteLine($"round {round + 1}: {(reuse ? "resumed prefixes" : "whole runs"),-16} {result.Elapsed.TotalSeconds,7:0.0} s ({runner.PrefixesComputed} prefixes)");
                if (Value(args, "--out") is { } output)
                {
                    Directory.CreateDirectory(Path.Combine(output, reuse ? "new" : "old"));
                    File.WriteAllText(Path.Combine(output, reuse ? "new" : "old", "results.csv"), csv[reuse].Summary);
                    File.WriteAllText(Path.Combine(output, reuse ? "new" : "old", "results_items.csv"), csv[reuse].Items);
                }
            }
        }

        var identical = csv[false] == csv[true];
        var (old, now) = (Median(times[false]), Median(times[true]));
        Console.WriteLine($"whole runs {old:0.0} s, resumed prefixes {now:0.0} s (median of {rounds}); results identical: {(identical ? "yes" : "NO")}");
        Console.WriteLine($"sweep speed-up: {old / now:0.00}");
        return identical ? 0 : 1;
    }

    /// <summary>The options `./meg experiment` ran with when given none (or only --quick) before the controls, image
    /// baselines and equal-bandwidth comparison: the workload the sweep's speed-up was first measured on.</summary>
    private static ExperimentOptions CliDefaults(bool quick) => new()
    {
        Protocols = Meg.Protocols.BuiltIn.ProtocolCatalog.CaseStudy,
        SnrDb = quick ? ExperimentOptions.Quick.SnrDb : [-20, -15, -10, -5, 0, 5, 10, 15, 20],
        NoisyLinks = new HashSet<Meg.Protocols.Plans.LinkKind> { Meg.Protocols.Plans.LinkKind.Downlink },
        Channel = new ChannelSettings
        {
            Mode = ChannelMode.Analog,
            Fading = FadingModel.None,
            RicianK = 4,
            FadingBlockLength = 128,
            Csi = CsiMode.Perfect,
            PilotsPerBlock = 1,
            Modulation = Modulation.Qpsk,
            Coded = false,
            CapacityRate = 2,
        },
        SeedForm = SeedForm.Quantized8,
        ImageForm = ImageForm.RawPixels,
        RobustDecoder = RobustDecoderMode.Compare,
        Controls = false,
        ImageBaselines = false,
        EqualBandwidth = false,
        Steps = 20,
        Guidance = 4,
        RandomSeed = 1,
        Plan = new PlanParameters
        {
            UserStepsBeforeUplink = 0,
            CiagUserShareBefore = 0.25,
            CiagEdgeShare = 0.5,
            SketchSide = 16,
            CompletionStrength = 0.6,
            EdgeServers = 2,
        },
    };

    private static string? Value(string[] args, string name)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
    }

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
    }
}
