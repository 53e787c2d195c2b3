using Meg.Diffusion.Pipeline;
using Meg.Imaging;
using Meg.Quality;

namespace Meg.Experiments;

/// <summary>How a generated image of a held-out item scores (or the mean over a request's images): against Centralized's
/// noiseless image, against the true scene, the scene checks and the caption rank; NaN where the model folder lacks
/// what a measure needs.</summary>
public sealed record SceneScores(
    double PsnrVsCentralized,
    double SsimVsCentralized,
    double PsnrVsTruth,
    double SsimVsTruth,
    double ColoursObeyed,
    double LayoutIou,
    double CaptionTop1)
{
    public static SceneScores Mean(IReadOnlyList<SceneScores> scores) => new(
        scores.Average(s => s.PsnrVsCentralized), scores.Average(s => s.SsimVsCentralized),
        scores.Average(s => s.PsnrVsTruth), scores.Average(s => s.SsimVsTruth),
        scores.Average(s => s.ColoursObeyed), scores.Average(s => s.LayoutIou), scores.Average(s => s.CaptionTop1));
}

/// <summary>
/// Scores images generated for one held-out item: against Centralized's noiseless image, against the true scene, with
/// the scene checks (colours, layout) and whether the CLIP-style pair ranks the true caption above every negative
/// (<see cref="CaptionNegatives"/>: swapped background halves, swapped and changed shape colours).
/// The item's captions are embedded once; each image then takes one image-encoder run.
/// </summary>
internal sealed class ItemJudge
{
    private readonly EvaluationItem _item;
    private readonly ClipStyleScorer? _scorer;
    private readonly SceneChecks? _checks;
    private readonly RgbImage? _mask;
    private readonly CaptionRank? _captions;

    /// <summary>Images per image-encoder call.</summary>
    private const int EncoderBatch = 64;

    public ItemJudge(EvaluationItem item, ClipStyleScorer? scorer, SceneChecks? checks)
    {
        _item = item;
        _scorer = scorer;
        _checks = checks;
        Truth = item.LoadImage();
        _mask = checks is null ? null : item.LoadMask();
        _captions = scorer is null ? null : CaptionRank.For(scorer, item, checks?.ColourNames ?? []);
    }

    /// <summary>The true scene.</summary>
    public RgbImage Truth { get; }

    public (SceneScores Scores, float[]? Features) Score(RgbImage image, RgbImage centralizedNoiseless) => Score([image], centralizedNoiseless)[0];

    /// <summary>Scores many images at once (the image encoder runs on them in batches), with each image's encoder
    /// features for the Fréchet distance (null without an encoder).</summary>
    public IReadOnlyList<(SceneScores Scores, float[]? Features)> Score(IReadOnlyList<RgbImage> images, RgbImage centralizedNoiseless)
    {
        var described = Describe(images);
        var scores = new (SceneScores, float[]?)[images.Count];
        // The pixel measures are independent per image; the model is idle while they run.
        Parallel.For(0, images.Count, i =>
        {
            var image = images[i];
            var checks = _checks?.Check(image, _item, _mask!);
            scores[i] = (new SceneScores(
                Math.Min(ExperimentRunner.PsnrCap, Psnr.Compute(centralizedNoiseless, image)), Ssim.Compute(centralizedNoiseless, image),
                Math.Min(ExperimentRunner.PsnrCap, Psnr.Compute(Truth, image)), Ssim.Compute(Truth, image),
                checks is null ? double.NaN : checks.ColoursObeyed ? 1 : 0, checks?.LayoutIou ?? double.NaN,
                described[i].Top1), described[i].Features);
        });
        return scores;
    }

    private (double Top1, float[]? Features)[] Describe(IReadOnlyList<RgbImage> images)
    {
        if (_scorer is null || _captions is null)
        {
            return images.Select(_ => (double.NaN, (float[]?)null)).ToArray();
        }

        var results = new List<(double, float[]?)>(images.Count);
        foreach (var chunk in images.Chunk(EncoderBatch))
        {
            var (embeddings, features) = _scorer.Describe(chunk);
            results.AddRange(embeddings.Select((e, k) => (_captions.RankEmbedding(e).IsTop1 ? 1.0 : 0, (float[]?)features[k])));
        }

        return [.. results];
    }
}
