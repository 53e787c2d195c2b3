using System.CommandLine;
using Meg.Channel.Ber;
using Meg.Channel;
using Meg.Diffusion.Pipeline;
using Meg.Experiments;
using Meg.Protocols.BuiltIn;
using Meg.Protocols;
using Spectre.Console;

namespace Meg.Cli.Commands;

/// <summary>`meg experiment`: the case study: quality vs SNR and channel uses per protocol, against Centralized.</summary>
public static class ExperimentCommand
{
    public static Command Create()
    {
        var protocols = new Option<string>("--protocols") { Description = $"Comma-separated protocols ({string.Join(", ", ProtocolCatalog.Names)}).", DefaultValueFactory = _ => string.Join(",", ExperimentOptions.DefaultProtocols) };
        var snr = new Option<string>("--snr") { Description = "SNRs in dB: start:step:stop or a list.", DefaultValueFactory = _ => "-20:5:20" };
        var channel = new Option<string>("--channel") { Description = "awgn, rayleigh or rician (block fading).", DefaultValueFactory = _ => "awgn" };
        var ricianK = new Option<double>("--rician-k") { Description = "Rician K factor (linear).", DefaultValueFactory = _ => 4 };
        var blockLength = new Option<int>("--fading-block") { Description = "Complex symbols per fading block.", DefaultValueFactory = _ => 128 };
        var pilots = new Option<int>("--pilots") { Description = "Pilots per fading block for least-squares CSI; 0 = perfect CSI.", DefaultValueFactory = _ => 0 };
        var noisyLinks = new Option<string>("--noisy-links") { Description = "Links that suffer the channel: dl (default, as the paper's case study), ul, bh, comma-separated, or all. The others are counted but clean.", DefaultValueFactory = _ => "dl" };
        var transmission = new Option<string>("--transmission") { Description = "analog, digital or capacity.", DefaultValueFactory = _ => "analog" };
        var modulation = new Option<string>("--modulation") { Description = "Digital: bpsk, qpsk, 16qam, 64qam.", DefaultValueFactory = _ => "qpsk" };
        var coded = new Option<bool>("--coded") { Description = "Digital: rate-1/2 K=7 convolutional code with soft Viterbi." };
        var capacityRate = new Option<double>("--capacity-rate") { Description = "Capacity mode: bits per channel use.", DefaultValueFactory = _ => 2 };
        var seedForm = new Option<string>("--seed-form") { Description = "Digital seeds: float32, float16 or 8bit.", DefaultValueFactory = _ => "8bit" };
        var imageForm = new Option<string>("--image-form") { Description = "Digital images: raw, png or jpeg.", DefaultValueFactory = _ => "raw" };
        var robust = new Option<string>("--robust-decoder") { Description = "compare (plain and robust side by side), on, or off.", DefaultValueFactory = _ => "compare" };
        var items = new Option<int?>("--items") { Description = "Held-out items N (default 64: 95% intervals of about ±0.02 SSIM; --quick 3)." };
        var steps = new Option<int>("--steps") { Description = "Denoising steps.", DefaultValueFactory = _ => 20 };
        var guidance = new Option<double>("--guidance") { Description = "Classifier-free guidance scale.", DefaultValueFactory = _ => 4 };
        var seed = new Option<ulong>("--seed") { Description = "Random seed of every draw (generation and channel).", DefaultValueFactory = _ => 1 };
        var userSteps = new Option<int>("--uieg-user-steps") { Description = "UIEG: denoising steps on the UE before the uplink.", DefaultValueFactory = _ => 0 };
        var ciagBefore = new Option<double>("--ciag-user-share") { Description = "CIAG: share of steps on the UE before the uplink.", DefaultValueFactory = _ => 0.25 };
        var ciagEdge = new Option<double>("--ciag-edge-share") { Description = "CIAG: share of steps on the ES.", DefaultValueFactory = _ => 0.5 };
        var sketchSide = new Option<int>("--sketch-side") { Description = "ESUC/DSUC/DCSUC: sketch long side in pixels.", DefaultValueFactory = _ => 16 };
        var completion = new Option<double>("--completion-strength") { Description = "Strength the UE completes a sketch with.", DefaultValueFactory = _ => 0.6 };
        var edgeServers = new Option<int>("--edge-servers") { Description = "K for multi-ES protocols.", DefaultValueFactory = _ => 2 };
        var model = new Option<string?>("--model") { Description = "Model folder. Default: $MEG_MODEL or models/meg-tiny." };
        var provider = ProviderOption.Create();
        var output = new Option<string>("--out") { Description = "Output folder.", DefaultValueFactory = _ => "results/experiment" };
        var quick = new Option<bool>("--quick") { Description = "3 items and SNR -20:10:20: about 10 seconds on 2 cores." };
        var noControls = new Option<bool>("--no-controls") { Description = "Skip the control runs (a sketch protocol's UE completing without the sketch it received)." };
        var noBaselines = new Option<bool>("--no-image-baselines") { Description = "Skip the image baselines (Centralized+mr, +wiener, +jpeg)." };
        var noBandwidth = new Option<bool>("--no-equal-bandwidth") { Description = "Skip the equal-bandwidth comparison (quality against channel uses at -5 and 5 dB)." };
        var noPrefixReuse = new Option<bool>("--no-prefix-reuse") { Description = "Compute every run whole instead of resuming each (protocol, item) from its steps before the first noisy transfer: the same numbers, slower (for timing the two)." };
        var command = new Command("experiment", "Run the case study: every protocol over the channel at each SNR, quality against noiseless runs, channel uses against Centralized.")
        {
            protocols, snr, noisyLinks, channel, ricianK, blockLength, pilots, transmission, modulation, coded, capacityRate, seedForm, imageForm, robust,
            items, steps, guidance, seed, userSteps, ciagBefore, ciagEdge, sketchSide, completion, edgeServers, model, provider, output, quick, noControls, noBaselines, noBandwidth, noPrefixReuse,
        };
        command.SetAction(parse => CliErrors.Run(() =>
        {
            var isQuick = parse.GetValue(quick);
            var snrText = parse.GetResult(snr) is { Implicit: false } ? parse.GetValue(snr)! : isQuick ? "-20:10:20" : parse.GetValue(snr)!;
            var pilotCount = parse.GetValue(pilots);
            var options = new ExperimentOptions
            {
                Protocols = parse.GetValue(protocols)!.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(n => ProtocolCatalog.Get(n).Name).ToArray(),
                SnrDb = SnrGrid.Parse(snrText),
                NoisyLinks = ChannelNames.Links(parse.GetValue(noisyLinks)!),
                Channel = new ChannelSettings
                {
                    Mode = ChannelNames.Transmission(parse.GetValue(transmission)!),
                    Fading = ChannelNames.Fading(parse.GetValue(channel)!),
                    RicianK = parse.GetValue(ricianK),
                    FadingBlockLength = parse.GetValue(blockLength),
                    Csi = pilotCount > 0 ? CsiMode.PilotEstimate : CsiMode.Perfect,
                    PilotsPerBlock = Math.Max(1, pilotCount),
                    Modulation = ChannelNames.Modulation(parse.GetValue(modulation)!),
                    Coded = parse.GetValue(coded),
                    CapacityRate = parse.GetValue(capacityRate),
                },
                SeedForm = ChannelNames.SeedForm(parse.GetValue(seedForm)!),
                ImageForm = ChannelNames.ImageForm(parse.GetValue(imageForm)!),
                RobustDecoder = parse.GetValue(robust)!.Trim().ToLowerInvariant() switch
                {
                    "compare" => RobustDecoderMode.Compare,
                    "on" => RobustDecoderMode.On,
                    "off" => RobustDecoderMode.Off,
                    var other => throw new ArgumentException($"--robust-decoder '{other}' is not known; use compare, on or off."),
                },
                Controls = !parse.GetValue(noControls),
                ImageBaselines = !parse.GetValue(noBaselines),
                EqualBandwidth = !parse.GetValue(noBandwidth),
                Items = parse.GetValue(items) ?? (isQuick ? ExperimentOptions.Quick.Items : new ExperimentOptions().Items),
                Steps = parse.GetValue(steps),
                Guidance = parse.GetValue(guidance),
                RandomSeed = parse.GetValue(seed),
                Plan = new PlanParameters
                {
                    UserStepsBeforeUplink = parse.GetValue(userSteps),
                    CiagUserShareBefore = parse.GetValue(ciagBefore),
                    CiagEdgeShare = parse.GetValue(ciagEdge),
                    SketchSide = parse.GetValue(sketchSide),
                    CompletionStrength = parse.GetValue(completion),
                    EdgeServers = parse.GetValue(edgeServers),
                },
            };
            var modelFolder = RepositoryLayout.LocateModel(parse.GetValue(model));
            var evaluation = EvaluationSet.Load(Path.Combine(modelFolder, "eval"));
            options.Validate(evaluation.Items.Count);
            new GenerationSettings { Steps = options.Steps, Guidance = options.Guidance }.Validate();
            using var pipeline = ProviderOption.LoadPipeline(modelFolder, parse, provider);
            using var scorer = ClipStyleScorer.TryLoad(modelFolder, pipeline.Options);
            var checks = evaluation.Palette.Count > 0 ? new SceneChecks(evaluation.Palette) : null;
            var runner = new ExperimentRunner(pipeline, scorer, checks) { ReusePrefixes = !parse.GetValue(noPrefixReuse) };
            ExperimentResult result = null!;
            AnsiConsole.Progress().AutoClear(false)
                .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn(), new RemainingTimeColumn())
                .Start(ctx =>
                {
                    var task = ctx.AddTask($"{options.Protocols.Count} protocols x {options.SnrDb.Count} SNRs x {options.Items} items");
                    result = runner.Run(options, evaluation.Items.Take(options.Items).ToArray(), new Progress<(int Done, int Total)>(p =>
                    {
                        task.MaxValue = p.Total;
                        task.Value = p.Done;
                    }));
                });
            var folder = parse.GetValue(output)!;
            var written = ExperimentReport.Write(result, folder);
            ExperimentSummaryTable.Render(result);
            AnsiConsole.MarkupLine($"Wrote {written.Count} files to [bold]{Markup.Escape(folder)}[/] in {result.Elapsed.TotalSeconds:0} s: " +
                                   Markup.Escape(string.Join(", ", written.Select(Path.GetFileName))));
        }));
        return command;
    }
}
