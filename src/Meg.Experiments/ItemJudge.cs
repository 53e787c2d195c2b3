using Meg.Diffusion.Pipeline;
using Meg.Imaging;
using Meg.Quality;

namespace Meg.Experiments;

/// <summary>How one generated image of a held-out item scores; NaN where the model folder lacks what a measure needs.</summary>
public sealed record ImageScores(
    double PsnrVsCentralized,
    double SsimVsCentralized,
    double PsnrVsTruth,
    double SsimVsTruth,
    double ColoursObeyed,
    double LayoutIou,
    double CaptionTop1,
    float[]? Features);

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

    public ImageScores Score(RgbImage image, RgbImage centralizedNoiseless) => Score([image], centralizedNoiseless)[0];

    /// <summary>Scores many images at once: the image encoder runs on them in batches.</summary>
    public IReadOnlyList<ImageScores> Score(IReadOnlyList<RgbImage> images, RgbImage centralizedNoiseless)
    {
        var described = Describe(images);
        var scores = new ImageScores[images.Count];
        // The pixel measures are independent per image; the model is idle while they run.
        Parallel.For(0, images.Count, i =>
        {
            var image = images[i];
            var checks = _checks?.Check(image, _item, _mask!);
            scores[i] = new ImageScores(
                Math.Min(ExperimentRunner.PsnrCap, Psnr.Compute(centralizedNoiseless, image)), Ssim.Compute(centralizedNoiseless, image),
                Math.Min(ExperimentRunner.PsnrCap, Psnr.Compute(Truth, image)), Ssim.Compute(Truth, image),
                checks is null ? double.NaN : checks.ColoursObeyed ? 1 : 0, checks?.LayoutIou ?? double.NaN,
                described[i].Top1, described[i].Features);
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
