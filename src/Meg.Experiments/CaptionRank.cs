using System.Numerics.Tensors;
using Meg.Diffusion.Pipeline;
using Meg.Imaging;

namespace Meg.Experiments;

/// <summary>
/// The CLIP-style caption rank of one scene: the true caption against wrong ones (<see cref="CaptionNegatives"/>),
/// by cosine similarity to an image. The captions are embedded once, when this is made, and reused for every image
/// of the scene (one per protocol and SNR), so ranking an image costs one image-encoder run.
/// </summary>
public sealed class CaptionRank
{
    /// <summary>Images per image-encoder run in <see cref="Ranks"/>: bounds the input tensor's memory.</summary>
    private const int ImageBatch = 64;

    private readonly ClipStyleScorer _scorer;
    private readonly float[] _trueEmbedding;
    private readonly float[][] _negativeEmbeddings;
    private readonly int _swappedBackground;

    private CaptionRank(ClipStyleScorer scorer, string caption, IReadOnlyList<CaptionNegative> negatives)
    {
        _scorer = scorer;
        Caption = caption;
        Negatives = negatives;
        var embeddings = scorer.EmbedTexts([caption, .. negatives.Select(n => n.Caption)]);
        _trueEmbedding = embeddings[0];
        _negativeEmbeddings = embeddings[1..];
        _swappedBackground = negatives.ToList().FindIndex(n => n.Change == CaptionChange.BackgroundSwapped);
    }

    /// <summary>The true caption.</summary>
    public string Caption { get; }

    /// <summary>The wrong captions it is ranked against.</summary>
    public IReadOnlyList<CaptionNegative> Negatives { get; }

    /// <summary>The rank of <paramref name="item"/>'s caption against <see cref="CaptionNegatives.For"/> its negatives.</summary>
    /// <param name="scorer">The model's CLIP-style pair; it must outlive the returned object.</param>
    /// <param name="item">The scene.</param>
    /// <param name="paletteColours">Colour words for recoloured negatives, e.g. the keys of <see cref="EvaluationSet.Palette"/>.</param>
    public static CaptionRank For(ClipStyleScorer scorer, EvaluationItem item, IEnumerable<string> paletteColours)
    {
        ArgumentNullException.ThrowIfNull(item);
        return For(scorer, item.Caption, CaptionNegatives.For(item, paletteColours));
    }

    /// <summary>The rank of <paramref name="caption"/> against the given <paramref name="negatives"/>.</summary>
    public static CaptionRank For(ClipStyleScorer scorer, string caption, IReadOnlyList<CaptionNegative> negatives)
    {
        ArgumentNullException.ThrowIfNull(scorer);
        ArgumentException.ThrowIfNullOrWhiteSpace(caption);
        ArgumentNullException.ThrowIfNull(negatives);
        if (negatives.FirstOrDefault(n => n.Caption == caption) is { } same)
        {
            throw new ArgumentException($"negatives contain the true caption itself ({same.Change}).", nameof(negatives));
        }

        return new CaptionRank(scorer, caption, negatives);
    }

    /// <summary>How <paramref name="image"/> ranks the true caption.</summary>
    public CaptionRankResult Rank(RgbImage image) => Ranks([image])[0];

    /// <summary>How each image ranks the true caption, the images encoded in batches.</summary>
    public IReadOnlyList<CaptionRankResult> Ranks(IReadOnlyList<RgbImage> images)
    {
        ArgumentNullException.ThrowIfNull(images);
        var results = new List<CaptionRankResult>(images.Count);
        foreach (var batch in images.Chunk(ImageBatch))
        {
            results.AddRange(_scorer.EmbedImages(batch).Select(RankEmbedding));
        }

        return results;
    }

    /// <summary>The rank for an image already embedded (an L2-normalized <see cref="ClipStyleScorer.EmbedImages"/> row),
    /// e.g. from the <see cref="ClipStyleScorer.Describe"/> run that also gave the Fréchet features.</summary>
    public CaptionRankResult RankEmbedding(float[] imageEmbedding)
    {
        ArgumentNullException.ThrowIfNull(imageEmbedding);
        if (imageEmbedding.Length != _trueEmbedding.Length)
        {
            throw new ArgumentException(
                $"imageEmbedding has {imageEmbedding.Length} values but the text embeddings have {_trueEmbedding.Length}.", nameof(imageEmbedding));
        }

        double trueScore = TensorPrimitives.Dot(imageEmbedding, _trueEmbedding);
        var rank = 1;
        var hardest = -1;
        var hardestScore = double.NaN;
        var negativeScores = new double[_negativeEmbeddings.Length];
        var lostTo = new HashSet<CaptionChange>();
        for (var i = 0; i < _negativeEmbeddings.Length; i++)
        {
            negativeScores[i] = TensorPrimitives.Dot(imageEmbedding, _negativeEmbeddings[i]);
            if (negativeScores[i] >= trueScore) // ties count against the true caption
            {
                rank++;
                lostTo.Add(Negatives[i].Change);
            }

            if (hardest < 0 || negativeScores[i] > hardestScore)
            {
                (hardest, hardestScore) = (i, negativeScores[i]);
            }
        }

        return new CaptionRankResult(
            rank,
            1 + Negatives.Count,
            trueScore,
            hardest < 0 ? null : Negatives[hardest],
            hardestScore,
            _swappedBackground < 0 ? null : trueScore > negativeScores[_swappedBackground],
            lostTo);
    }
}
