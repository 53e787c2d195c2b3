using System.Diagnostics;
using Meg.Diffusion.Batching;
using Meg.Diffusion.Pipeline;
using Meg.Execution;
using Meg.Imaging;
using Meg.Protocols.BuiltIn;
using Meg.Protocols.Plans;
using Meg.Quality;

namespace Meg.Experiments;

/// <summary>
/// Runs every chosen protocol over the channel at every SNR on held-out items, against the noiseless
/// run of the same protocol and of the centralized baseline. Seeded: the same options give the same numbers,
/// whether runs resume from prefixes or not (<see cref="ReusePrefixes"/>). The prefixes and the noiseless references
/// run one step at a time, so the compute times reported (the noiseless ones) are each node's own; the runs over the
/// channel share batched model calls, so theirs include the wait for a batch.
/// </summary>
public sealed class ExperimentRunner(DiffusionPipeline pipeline, ClipStyleScorer? scorer)
{
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
        var features = new Dictionary<(string, double), List<float[]>>();
        var cleanFeatures = new Dictionary<string, List<float[]>>();
        var cleanClip = new Dictionary<string, List<double>>();
        var cleanSsim = new Dictionary<string, List<double>>();
        var cleanTimes = new Dictionary<string, List<(double Ue, double Es)>>();
        var realFeatures = new List<float[]>();
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
            // The caption is embedded once per item; each image then needs one image-encoder run (embedding and features).
            var caption = scorer?.EmbedTexts([item.Caption])[0];
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

                var (clip, cleanFeature) = Describe(result.Images[0], caption);
                Add(cleanClip, plan.Name, clip);
                Add(cleanSsim, plan.Name, Ssim.Compute(centralClean, result.Images[0]));
                Add(cleanTimes, plan.Name, Times(result));
                if (cleanFeature is not null)
                {
                    Add(cleanFeatures, plan.Name, cleanFeature);
                }

                Tick();
            }

            if (scorer is not null)
            {
                realFeatures.Add(scorer.Features([item.LoadImage()])[0]);
            }

            var noisyExamples = new Dictionary<(string, double), RgbImage>();
            // The plain and robust variants of a protocol see the same channel noise: a paired comparison.
            var noisy = sweep.All([.. Enumerable.Range(0, options.SnrDb.Count).SelectMany(si => variants.Select(variant =>
                (variant.Plan, Transmission(options, si, variant.RobustDecoder, item.Id))))]);
            for (var si = 0; si < options.SnrDb.Count; si++)
            {
                var snr = options.SnrDb[si];
                for (var vi = 0; vi < variants.Count; vi++)
                {
                    var variant = variants[vi];
                    var result = noisy[si * variants.Count + vi];
                    var image = result.Images[0];
                    // Multi-image plans (parallel multi-ES): every image is measured against its own noiseless twin.
                    var shares = Enumerable.Range(0, result.Images.Count).ToArray();
                    var qualities = shares.Select(k => ImageQuality.Measure(clean[variant.Plan.Name + Share(k)], result.Images[k])).ToArray();
                    var described = shares.Select(k => Describe(result.Images[k], caption)).ToArray();
                    var (ue, es) = Times(result);
                    var perImage = (double)result.Images.Count;
                    rows.Add(new ItemResult(
                        variant.Name, snr, item.Id,
                        qualities.Average(q => Math.Min(PsnrCap, q.Psnr)), qualities.Average(q => q.Ssim), qualities.Average(q => q.MsSsim),
                        shares.Average(k => Math.Min(PsnrCap, Psnr.Compute(centralClean, result.Images[k]))), shares.Average(k => Ssim.Compute(centralClean, result.Images[k])),
                        described.Average(d => d.Clip),
                        (long)Math.Round(result.TotalChannelUses / perImage), (long)Math.Round(result.ChannelUses(LinkKind.Uplink) / perImage),
                        (long)Math.Round(result.ChannelUses(LinkKind.Downlink) / perImage), (long)Math.Round(result.ChannelUses(LinkKind.Backhaul) / perImage),
                        (long)Math.Round(result.TotalBits / perImage),
                        result.Transfers.Any(t => t.BitErrors.HasValue) ? result.Transfers.Sum(t => t.BitErrors ?? 0) : null,
                        result.AnyDecodeFailed, result.AnyOutage, ue, es));
                    if (described[0].Features is { } feature)
                    {
                        Add(features, (variant.Name, snr), feature);
                    }

                    if (example is null)
                    {
                        noisyExamples[(variant.Name, snr)] = image;
                    }

                    Tick();
                }
            }

            example ??= new ExampleImages(item.Caption, sketch,
                plans.ToDictionary(p => p.Name, p => clean[p.Name]), noisyExamples);
        }

        var centralUses = rows.Where(r => r.Protocol == "Centralized").Select(r => (double)r.ChannelUses).DefaultIfEmpty(double.NaN).Average();
        var summary = rows.GroupBy(r => (r.Protocol, r.SnrDb))
            .OrderBy(g => variants.FindIndex(v => v.Name == g.Key.Protocol)).ThenBy(g => g.Key.SnrDb)
            .Select(g => new SummaryRow(
                g.Key.Protocol, g.Key.SnrDb, g.Count(),
                g.Average(r => r.Psnr), g.Average(r => r.Ssim), Mean(g.Select(r => r.MsSsim)),
                g.Average(r => r.PsnrVsCentralized), g.Average(r => r.SsimVsCentralized),
                Mean(g.Select(r => r.ClipScore)),
                Frechet(features, g.Key, realFeatures),
                g.Average(r => (double)r.ChannelUses), g.Average(r => (double)r.ChannelUses) / centralUses,
                g.Average(r => (double)r.Bits),
                g.Average(r => r.DecodeFailed ? 1.0 : 0), g.Average(r => r.Outage ? 1.0 : 0)))
            .ToArray();
        var noiseless = plans.Select(p => new NoiselessRow(
            p.Name, Mean(cleanClip[p.Name]),
            cleanFeatures.TryGetValue(p.Name, out var f) && f.Count >= 2 && realFeatures.Count >= 2 ? FrechetDistance.Compute(f, realFeatures) : double.NaN,
            cleanSsim[p.Name].Average(), cleanTimes[p.Name].Average(t => t.Ue), cleanTimes[p.Name].Average(t => t.Es))).ToArray();
        return new ExperimentResult(options, Path.GetFileName(pipeline.Folder.Root), rows, summary, noiseless, example!, clock.Elapsed);
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
                variants.Add(new ProtocolVariant(plan.Name + "+robust", plan, true));
            }
        }

        return variants;
    }

    /// <summary>Key suffix of image k of a multi-image request (image 0 keeps the plain name).</summary>
    private static string Share(int k) => k == 0 ? "" : $"#{k}";

    /// <summary>CLIP-style score against the embedded caption and the Fréchet features, from one encoder run (NaN/null without an encoder).</summary>
    private (double Clip, float[]? Features) Describe(RgbImage image, float[]? caption)
    {
        if (scorer is null || caption is null)
        {
            return (double.NaN, null);
        }

        var (embeddings, features) = scorer.Describe([image]);
        return (System.Numerics.Tensors.TensorPrimitives.Dot(embeddings[0], caption), features[0]);
    }

    private static (double Ue, double Es) Times(ExecutionResult result) => (
        result.ComputeTime.Where(kv => kv.Key.IsUserEquipment).Sum(kv => kv.Value.TotalMilliseconds),
        result.ComputeTime.Where(kv => !kv.Key.IsUserEquipment).Sum(kv => kv.Value.TotalMilliseconds));

    private static double Frechet(Dictionary<(string, double), List<float[]>> features, (string, double) key, List<float[]> real) =>
        features.TryGetValue(key, out var f) && f.Count >= 2 && real.Count >= 2 ? FrechetDistance.Compute(f, real) : double.NaN;

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
