using Meg.Diffusion.Pipeline;
using Meg.Imaging;
using Meg.Quality;

namespace Meg.Experiments;

/// <summary>The model card's quality bars, computed in C# through the engine on a held-out set.</summary>
public sealed class ModelEvaluation(DiffusionPipeline pipeline, ClipStyleScorer scorer, EvaluationSet set)
{
    private const int Batch = 8;

    /// <summary>Shares of items and shapes passing each check of <see cref="SceneChecks"/>, and the CLIP-style measures.</summary>
    public sealed record GenerationScores(double ColoursObeyed, double ShapeColourAccuracy, double BackgroundColourAccuracy, double LayoutIou,
        double FilledShapes, double SolidShapes, double RingShapes, double ClipRank1Of8, double FrechetDistance, double Seconds)
    {
        /// <summary>The same checks per sketch pen width, for sets whose items record one (the drawn set); else empty.</summary>
        public IReadOnlyList<PenWidthScores> ByPenWidth { get; init; } = [];
    }

    /// <summary>Scores of the items sketched with one pen width (pixels of the 64-pixel side).</summary>
    public sealed record PenWidthScores(double PenWidth, int Items, double FilledShapes, double SolidShapes, double RingShapes, double ColoursObeyed, double LayoutIou);

    public sealed record Report(int Items, int Steps, double Guidance, double VaePsnrDb, double RealClipRank1Of8, double RealColoursObeyed, GenerationScores ImageToImage, GenerationScores TextToImage);

    public Report Run(int items, int steps, double guidance, IProgress<(int Done, int Total)>? progress = null)
    {
        var chosen = set.Items.Take(items).ToArray();
        var checks = new SceneChecks(set.Palette);
        var total = chosen.Length * 3;
        var done = 0;
        var real = chosen.Select(i => i.LoadImage()).ToArray();
        var masks = chosen.Select(i => i.LoadMask()).ToArray();

        var psnr = chosen.Select((item, k) =>
        {
            var reconstruction = pipeline.Decode(pipeline.EncodeImage(real[k]));
            progress?.Report((++done, total));
            return Psnr.Compute(real[k], reconstruction);
        }).Average();
        var (realEmbeddings, realFeatures) = scorer.Describe(real);
        var realRank = ClipRank(realEmbeddings, chosen);
        var realColours = chosen.Select((item, k) => checks.Check(real[k], item, masks[k]).ColoursObeyed ? 1.0 : 0).Average();
        var settings = new GenerationSettings { Steps = steps, Guidance = guidance };
        var imageToImage = Score(Generate(chosen, settings, useSketch: true, () => progress?.Report((++done, total))), chosen, masks, checks, realFeatures);
        var textToImage = Score(Generate(chosen, settings, useSketch: false, () => progress?.Report((++done, total))), chosen, masks, checks, realFeatures);
        return new Report(chosen.Length, steps, guidance, psnr, realRank, realColours, imageToImage, textToImage);
    }

    private (RgbImage[] Images, double Seconds) Generate(EvaluationItem[] items, GenerationSettings settings, bool useSketch, Action tick)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var images = new RgbImage[items.Length];
        for (var start = 0; start < items.Length; start += Batch)
        {
            var chunk = items.Skip(start).Take(Batch).ToArray();
            var texts = chunk.Select(i => pipeline.EncodeText(i.Caption)).ToArray();
            var conditions = chunk.Select(i => useSketch ? pipeline.EncodeImage(i.LoadSketch()) : null).ToArray();
            var latents = chunk.Select(i => pipeline.InitialLatent(settings with { RandomSeed = (ulong)i.Id + 1 }, null)).ToArray();
            var final = pipeline.DenoiseBatch(latents, 0, settings.Steps, texts, conditions, settings);
            for (var k = 0; k < chunk.Length; k++)
            {
                images[start + k] = pipeline.Decode(final[k]);
                tick();
            }
        }

        return (images, clock.Elapsed.TotalSeconds);
    }

    private GenerationScores Score((RgbImage[] Images, double Seconds) generated, EvaluationItem[] items, RgbImage[] masks, SceneChecks checks, float[][] realFeatures)
    {
        var outcomes = items.Select((item, k) => checks.Check(generated.Images[k], item, masks[k])).ToArray();
        var (embeddings, features) = scorer.Describe(generated.Images);
        return new GenerationScores(
            outcomes.Average(o => o.ColoursObeyed ? 1.0 : 0),
            Share(outcomes, o => o.ShapeColoursOk),
            Share(outcomes, o => o.BackgroundOk),
            outcomes.Average(o => o.LayoutIou),
            Share(outcomes, o => o.ShapesFilled),
            Share(outcomes, o => o.ShapesSolid),
            Share(outcomes, o => o.ShapesRing),
            ClipRank(embeddings, items),
            FrechetDistance.Compute(features, realFeatures),
            generated.Seconds)
        {
            ByPenWidth = items.Zip(outcomes)
                .Where(pair => pair.First.PenWidth is not null)
                .GroupBy(pair => pair.First.PenWidth!.Value, pair => pair.Second)
                .OrderBy(group => group.Key)
                .Select(group => new PenWidthScores(
                    group.Key,
                    group.Count(),
                    Share(group, o => o.ShapesFilled),
                    Share(group, o => o.ShapesSolid),
                    Share(group, o => o.ShapesRing),
                    group.Average(o => o.ColoursObeyed ? 1.0 : 0),
                    group.Average(o => o.LayoutIou)))
                .ToArray(),
        };
    }

    /// <summary>Share of true among every outcome's per-shape (or per-background) <paramref name="verdicts"/>.</summary>
    private static double Share(IEnumerable<SceneChecks.Outcome> outcomes, Func<SceneChecks.Outcome, IReadOnlyList<bool>> verdicts) =>
        outcomes.SelectMany(verdicts).Average(v => v ? 1.0 : 0);

    /// <summary>Share of images whose own caption scores highest among it and its 7 recoloured negatives; NaN when the set has no negatives.</summary>
    private double ClipRank(float[][] imageEmbeddings, EvaluationItem[] items)
    {
        if (items.Any(i => i.NegativeCaptions.Count < 7))
        {
            return double.NaN;
        }

        var wins = 0;
        for (var k = 0; k < items.Length; k++)
        {
            var texts = scorer.EmbedTexts([items[k].Caption, .. items[k].NegativeCaptions.Take(7)]);
            var scores = texts.Select(t => System.Numerics.Tensors.TensorPrimitives.Dot(t, imageEmbeddings[k])).ToArray();
            wins += Array.IndexOf(scores, scores.Max()) == 0 ? 1 : 0;
        }

        return (double)wins / items.Length;
    }
}
