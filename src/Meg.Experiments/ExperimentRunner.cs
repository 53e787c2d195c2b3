using System.Diagnostics;
using Meg.Channel;
using Meg.Diffusion.Batching;
using Meg.Diffusion.Pipeline;
using Meg.Execution;
using Meg.Experiments.Statistics;
using Meg.Imaging;
using Meg.Protocols.BuiltIn;
using Meg.Protocols.Plans;
using Meg.Quality;

namespace Meg.Experiments;

/// <summary>
/// Runs every chosen protocol over the channel at every SNR on held-out items, with its variants (the robust decoder,
/// controls, image baselines) and the equal-bandwidth comparison, against the noiseless run of the same protocol, of the
/// centralized baseline and the true scene (<see cref="ItemJudge"/>). Seeded: the same options give the same numbers,
/// whether runs resume from prefixes or not (<see cref="ReusePrefixes"/>). The prefixes and the noiseless references
/// run one step at a time, so the compute times reported (the noiseless ones) are each node's own; the runs over the
/// channel share batched model calls, so theirs include the wait for a batch.
/// </summary>
public sealed class ExperimentRunner(DiffusionPipeline pipeline, ClipStyleScorer? scorer, SceneChecks? checks = null)
{
    /// <summary>The Fréchet distance needs many samples to mean anything in the encoder's feature dimension; below this
    /// many items it is not reported.</summary>
    public const int FrechetMinimumItems = 256;

    /// <summary>PSNR of identical images is infinite; means use this cap instead.</summary>
    public const double PsnrCap = 100;

    private readonly PlanExecutor _executor = new(pipeline);

    /// <summary>Whether each (plan, item) prefix before the first noisy transfer is computed once and every SNR, decoder
    /// and noiseless run resumes from it (<see cref="PlanPrefix"/>), an item's runs over the channel sharing batched model
    /// calls (<see cref="SweepRuns"/>). Off, every run computes the whole plan alone: the same numbers, several times
    /// slower; kept to time the two against each other.</summary>
    public bool ReusePrefixes { get; init; } = true;

    /// <summary>How many plan prefixes the runs so far computed: one per (plan, item) when <see cref="ReusePrefixes"/>.</summary>
    public int PrefixesComputed { get; private set; }

    public ExperimentResult Run(ExperimentOptions options, IReadOnlyList<EvaluationItem> items, IProgress<(int Done, int Total)>? progress = null)
    {
        var clock = Stopwatch.StartNew();
        var parameters = options.Plan with
        {
            TotalSteps = options.Steps,
            Strength = 1,
            SketchConditioned = pipeline.SketchConditioned,
        };
        var variants = Variants(options, parameters);
        var central = ProtocolCatalog.Build("Centralized", parameters);
        // Noiseless references are per plan: a "+robust" variant is measured against its plain plan's clean output.
        var plans = variants.Select(v => v.Plan).DistinctBy(p => p.Name).ToList();
        var total = items.Count * (variants.Count * options.SnrDb.Count + plans.Count + 1);
        var done = 0;
        void Tick() => progress?.Report((++done, total));

        var rows = new List<ItemResult>();
        // Room for every run of an item in one UNet call (with guidance an item takes two rows).
        using var batcher = ReusePrefixes ? new ModelBatcher(pipeline, new BatchingOptions { MaxBatch = Math.Clamp(variants.Count * options.SnrDb.Count, 2, 256) }) : null;
        var batched = batcher is null ? null : new PlanExecutor(batcher);
        var features = new Dictionary<(string, string, double), List<float[]>>();
        var cleanFeatures = new Dictionary<string, List<float[]>>();
        var cleanScores = new Dictionary<string, List<SceneScores>>();
        var cleanTimes = new Dictionary<string, List<(double Ue, double Es)>>();
        var realFeatures = new List<float[]>();
        var realTop1 = new List<double>();
        // Equal-bandwidth comparison: at the grid's SNRs among EqualBandwidth.SnrDb, when EIUG runs.
        var eiug = plans.FirstOrDefault(p => p.Name == "EIUG");
        IReadOnlyList<BandwidthScheme> schemes = eiug is null || !options.EqualBandwidth ? [] : EqualBandwidth.Schemes(eiug, central);
        int[] bandwidthSnrs = schemes.Count == 0 ? [] : EqualBandwidth.SnrDb.Select(s => options.SnrDb.ToList().IndexOf(s)).Where(i => i >= 0).ToArray();
        var bandwidthRows = new List<(BandwidthScheme Scheme, double SnrDb, double NoisyUses, double Ssim)>();
        ExampleImages? example = null;

        foreach (var item in items)
        {
            var sketch = item.LoadSketch();
            var request = new GenerationRequest(item.Caption, sketch, new GenerationSettings
            {
                Steps = options.Steps,
                Guidance = options.Guidance,
                RandomSeed = options.RandomSeed + (ulong)item.Id,
            });
            var judge = new ItemJudge(item, scorer, checks);
            var sweep = Sweep(options, plans.Append(central), request, item.Id, batched);
            PrefixesComputed += sweep.PrefixCount;
            var centralClean = sweep.Alone(central, TransmissionOptions.Noiseless).Images[0];
            Tick();
            var clean = new Dictionary<string, RgbImage>();
            foreach (var plan in plans)
            {
                var result = sweep.Alone(plan, TransmissionOptions.Noiseless);
                for (var k = 0; k < result.Images.Count; k++)
                {
                    clean[plan.Name + Share(k)] = result.Images[k];
                }

                var (scores, cleanFeature) = judge.Score(result.Images[0], centralClean);
                Add(cleanScores, plan.Name, scores);
                Add(cleanTimes, plan.Name, Times(result));
                if (cleanFeature is not null)
                {
                    Add(cleanFeatures, plan.Name, cleanFeature);
                }

                Tick();
            }

            var (real, realFeature) = judge.Score(judge.Truth, centralClean);
            realTop1.Add(real.CaptionTop1);
            if (realFeature is not null)
            {
                realFeatures.Add(realFeature);
            }

            var noisyExamples = new Dictionary<(string, double), RgbImage>();
            // Every variant of a protocol sees the same channel noise at an SNR: paired comparisons.
            // A control whose only noisy payloads are the sketches it blanks gives the same run at every SNR: run it once.
            var runs = Enumerable.Range(0, options.SnrDb.Count * variants.Count)
                .Where(k => k < variants.Count || !SameAtEverySnr(variants[k % variants.Count], options)).ToArray();
            var ran = sweep.All([.. runs.Select(k => (variants[k % variants.Count].Plan, Transmission(options, k / variants.Count, variants[k % variants.Count], item.Id)))]);
            // Run k is SNR point k / variants, variant k % variants; a run made once stands for every SNR.
            var noisy = new ExecutionResult[options.SnrDb.Count * variants.Count];
            for (var r = 0; r < runs.Length; r++)
            {
                noisy[runs[r]] = ran[r];
            }

            for (var k = variants.Count; k < noisy.Length; k++)
            {
                noisy[k] ??= noisy[k % variants.Count];
            }
            var allScores = judge.Score([.. noisy.SelectMany(r => r.Images)], centralClean);
            var scored = 0;
            for (var si = 0; si < options.SnrDb.Count; si++)
            {
                var snr = options.SnrDb[si];
                for (var vi = 0; vi < variants.Count; vi++)
                {
                    var variant = variants[vi];
                    var result = noisy[si * variants.Count + vi];
                    // Multi-image plans (parallel multi-ES): every image is measured against its own noiseless twin.
                    var shares = Enumerable.Range(0, result.Images.Count).ToArray();
                    var qualities = shares.Select(k => ImageQuality.Measure(clean[variant.Plan.Name + Share(k)], result.Images[k])).ToArray();
                    var scores = allScores.Skip(scored).Take(shares.Length).ToArray();
                    scored += shares.Length;
                    var (ue, es) = Times(result);
                    rows.Add(new ItemResult(
                        variant.Name, variant.Variant, snr, item.Id,
                        qualities.Average(q => Math.Min(PsnrCap, q.Psnr)), qualities.Average(q => q.Ssim), qualities.Average(q => q.MsSsim),
                        SceneScores.Mean([.. scores.Select(s => s.Scores)]),
                        Uses(result, options.NoisyLinks),
                        (long)Math.Round(result.TotalBits / (double)result.Images.Count),
                        result.Transfers.Any(t => t.BitErrors.HasValue) ? result.Transfers.Sum(t => t.BitErrors ?? 0) : null,
                        result.AnyDecodeFailed, result.AnyOutage, ue, es));
                    if (scores[0].Features is { } feature)
                    {
                        Add(features, (variant.Name, variant.Variant, snr), feature);
                    }

                    if (example is null)
                    {
                        noisyExamples[(variant.Label, snr)] = result.Images[0];
                    }

                    Tick();
                }
            }

            var bandwidthRuns = bandwidthSnrs.SelectMany(si => schemes.Select(scheme => (si, scheme))).ToArray();
            var bandwidthResults = sweep.All([.. bandwidthRuns.Select(r => (r.scheme.Variant.Plan, Transmission(options, r.si, r.scheme.Variant, item.Id)))]);
            var bandwidthScores = judge.Score([.. bandwidthResults.Select(r => r.Images[0])], centralClean);
            for (var k = 0; k < bandwidthRuns.Length; k++)
            {
                bandwidthRows.Add((bandwidthRuns[k].scheme, options.SnrDb[bandwidthRuns[k].si], Uses(bandwidthResults[k], options.NoisyLinks).Noisy, bandwidthScores[k].Scores.SsimVsCentralized));
            }

            example ??= new ExampleImages(item.Caption, sketch,
                variants.ToDictionary(v => v.Label, v => clean[v.Plan.Name]), noisyExamples);
        }

        var centralRows = rows.Where(r => r.Protocol == "Centralized" && r.Variant == ProtocolVariant.Standard).ToArray();
        var centralUses = centralRows.Select(r => r.Uses.Total).DefaultIfEmpty(double.NaN).Average();
        var centralNoisyUses = centralRows.Select(r => r.Uses.Noisy).DefaultIfEmpty(double.NaN).Average();
        var summary = rows.GroupBy(r => (r.Protocol, r.Variant, r.SnrDb))
            .OrderBy(g => variants.FindIndex(v => v.Name == g.Key.Protocol && v.Variant == g.Key.Variant)).ThenBy(g => g.Key.SnrDb)
            .Select(g =>
            {
                var uses = new LinkUses(g.Average(r => r.Uses.Uplink), g.Average(r => r.Uses.Downlink), g.Average(r => r.Uses.Backhaul), g.Average(r => r.Uses.Noisy));
                return new SummaryRow(
                    g.Key.Protocol, g.Key.Variant, g.Key.SnrDb, g.Count(),
                    Interval(options, g.Select(r => r.Psnr)), Interval(options, g.Select(r => r.Ssim)), Mean(g.Select(r => r.MsSsim)),
                    Interval(options, g.Select(r => r.Scores.PsnrVsCentralized)), Interval(options, g.Select(r => r.Scores.SsimVsCentralized)),
                    Interval(options, g.Select(r => r.Scores.SsimVsTruth)), Interval(options, g.Select(r => r.Scores.ColoursObeyed)),
                    Mean(g.Select(r => r.Scores.LayoutIou)), Mean(g.Select(r => r.Scores.CaptionTop1)),
                    Frechet(features, g.Key, realFeatures),
                    uses, uses.Total / centralUses, uses.Noisy / centralNoisyUses,
                    g.Average(r => (double)r.Bits),
                    g.Average(r => r.DecodeFailed ? 1.0 : 0), g.Average(r => r.Outage ? 1.0 : 0));
            })
            .ToArray();
        var noiseless = plans.Select(p => new NoiselessRow(
            p.Name, Mean(cleanScores[p.Name].Select(s => s.CaptionTop1)),
            cleanFeatures.TryGetValue(p.Name, out var f) ? FrechetOrNaN(f, realFeatures) : double.NaN,
            cleanScores[p.Name].Average(s => s.SsimVsCentralized), cleanScores[p.Name].Average(s => s.SsimVsTruth),
            Mean(cleanScores[p.Name].Select(s => s.ColoursObeyed)), Mean(cleanScores[p.Name].Select(s => s.LayoutIou)),
            cleanTimes[p.Name].Average(t => t.Ue), cleanTimes[p.Name].Average(t => t.Es))).ToArray();
        var bandwidth = bandwidthRows.GroupBy(r => (r.Scheme.Scheme, r.Scheme.Setting, r.SnrDb))
            .Select(g => new BandwidthPoint(g.Key.Scheme, g.Key.Setting, g.Key.SnrDb, g.Average(r => r.NoisyUses), Interval(options, g.Select(r => r.Ssim))))
            .ToArray();
        return new ExperimentResult(options, Path.GetFileName(pipeline.Folder.Root), rows, summary, noiseless, Mean(realTop1), bandwidth, example!, clock.Elapsed);
    }

    /// <summary>How one item's runs execute: resumed from prefixes computed here (crossing the clean links as the first SNR
    /// point's runs do), or whole. A run whose clean-link payloads differ from the prefix's computes from the first
    /// difference on, so the choice of the prefix's channel never changes a number.</summary>
    private SweepRuns Sweep(ExperimentOptions options, IEnumerable<ProtocolPlan> plans, GenerationRequest request, int itemId, PlanExecutor? batched) =>
        batched is null
            ? SweepRuns.Whole(_executor, request)
            : SweepRuns.Resumed(_executor, batched, plans, request, Transmission(options, 0, robustDecoder: false, itemId));

    private static TransmissionOptions Transmission(ExperimentOptions options, int snrIndex, bool robustDecoder, int itemId) => new()
    {
        Channel = options.Channel with { SnrDb = options.SnrDb[snrIndex] },
        NoisyLinks = options.NoisyLinks,
        SeedForm = options.SeedForm,
        ImageForm = options.ImageForm,
        RobustDecoder = robustDecoder,
        ChannelRandomSeed = Mix(options.RandomSeed, (ulong)itemId, (ulong)snrIndex),
    };

    private static TransmissionOptions Transmission(ExperimentOptions options, int snrIndex, ProtocolVariant variant, int itemId) =>
        variant.Carriage(Transmission(options, snrIndex, variant.RobustDecoder, itemId) with { UeIgnoresReceivedSketch = variant.Variant == ProtocolVariant.Control });

    private static List<ProtocolVariant> Variants(ExperimentOptions options, Meg.Protocols.PlanParameters parameters)
    {
        var variants = new List<ProtocolVariant>();
        foreach (var name in options.Protocols)
        {
            var plan = ProtocolCatalog.Build(name, parameters);
            var decodesSeed = ProtocolVariant.DecodesReceivedSeed(plan);
            variants.Add(new ProtocolVariant(plan.Name, plan, options.RobustDecoder == RobustDecoderMode.On && decodesSeed));
            if (options.RobustDecoder == RobustDecoderMode.Compare && decodesSeed)
            {
                variants.Add(new ProtocolVariant(plan.Name + ProtocolVariant.RobustSuffix, plan, true));
            }

            if (options.Controls && ProtocolVariant.UeCompletesReceivedSketch(plan))
            {
                variants.Add(new ProtocolVariant(plan.Name, plan, false) { Variant = ProtocolVariant.Control });
            }

            if (options.ImageBaselines && plan.Name == "Centralized")
            {
                variants.AddRange(ImageBaselines.Variants(plan));
            }
        }

        return variants;
    }

    /// <summary>Whether a variant's run cannot depend on the SNR: a control on an analog channel whose every noisy transfer
    /// carries only sketches to the UE, which it blanks (analog accounting does not depend on the SNR either).</summary>
    private static bool SameAtEverySnr(ProtocolVariant variant, ExperimentOptions options) =>
        variant.Variant == ProtocolVariant.Control && options.Channel.Mode == ChannelMode.Analog
        && variant.Plan.Transfers.Where(t => options.NoisyLinks.Contains(t.Link))
            .All(t => t.To.IsUserEquipment && t.Artifacts.All(a => a.Kind == ArtifactKind.Sketch));

    /// <summary>Channel uses per image by link, and on the links that suffered the noise.</summary>
    private static LinkUses Uses(ExecutionResult result, IReadOnlySet<LinkKind> noisyLinks)
    {
        double perImage = result.Images.Count;
        return new LinkUses(
            result.ChannelUses(LinkKind.Uplink) / perImage,
            result.ChannelUses(LinkKind.Downlink) / perImage,
            result.ChannelUses(LinkKind.Backhaul) / perImage,
            result.Transfers.Where(t => noisyLinks.Contains(t.Link)).Sum(t => t.ChannelUses) / perImage);
    }

    /// <summary>Key suffix of image k of a multi-image request (image 0 keeps the plain name).</summary>
    private static string Share(int k) => k == 0 ? "" : $"#{k}";

    private static (double Ue, double Es) Times(ExecutionResult result) => (
        result.ComputeTime.Where(kv => kv.Key.IsUserEquipment).Sum(kv => kv.Value.TotalMilliseconds),
        result.ComputeTime.Where(kv => !kv.Key.IsUserEquipment).Sum(kv => kv.Value.TotalMilliseconds));

    private static double Frechet(Dictionary<(string, string, double), List<float[]>> features, (string, string, double) key, List<float[]> real) =>
        features.TryGetValue(key, out var f) ? FrechetOrNaN(f, real) : double.NaN;

    private static double FrechetOrNaN(List<float[]> features, List<float[]> real) =>
        features.Count >= FrechetMinimumItems && real.Count >= FrechetMinimumItems ? FrechetDistance.Compute(features, real) : double.NaN;

    /// <summary>Every cell resamples its items with the run's seed: reproducible, and paired across protocols.</summary>
    private static ConfidenceInterval Interval(ExperimentOptions options, IEnumerable<double> values) =>
        BootstrapInterval.OfMean(values.ToArray(), options.RandomSeed);

    private static double Mean(IEnumerable<double> values)
    {
        var list = values.Where(double.IsFinite).ToList();
        return list.Count == 0 ? double.NaN : list.Average();
    }

    private static void Add<TKey, TValue>(Dictionary<TKey, List<TValue>> map, TKey key, TValue value) where TKey : notnull
    {
        if (!map.TryGetValue(key, out var list))
        {
            map[key] = list = [];
        }

        list.Add(value);
    }

    /// <summary>A channel seed per (run seed, item, SNR point), spread so nearby inputs give unrelated noise.</summary>
    private static ulong Mix(ulong seed, ulong item, ulong snrIndex)
    {
        var z = seed * 0x9E3779B97F4A7C15UL ^ item * 0xBF58476D1CE4E5B9UL ^ snrIndex * 0x94D049BB133111EBUL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
