namespace Meg.Experiments;

/// <summary>Where an image put its scene's true caption among the true caption and its negatives.</summary>
/// <param name="Rank">1 when the true caption scores highest; a negative scoring equal to it counts as above it.</param>
/// <param name="Candidates">The true caption plus the negatives.</param>
/// <param name="TrueScore">Cosine similarity of the image and the true caption.</param>
/// <param name="HardestNegative">The negative the image matched best (null when there were none).</param>
/// <param name="HardestNegativeScore">Its cosine similarity (NaN when there were no negatives).</param>
/// <param name="BeatsSwappedBackground">Whether the true caption scored above the swapped-background negative; null
/// when the scene has no such negative (one background colour).</param>
/// <param name="LostTo">The kinds of negative of which at least one scored as high as the true caption or higher (empty
/// when top-1): which confusions the image shows, e.g. only <see cref="CaptionChange.ShapeColoursSwapped"/>.</param>
public readonly record struct CaptionRankResult(
    int Rank,
    int Candidates,
    double TrueScore,
    CaptionNegative? HardestNegative,
    double HardestNegativeScore,
    bool? BeatsSwappedBackground,
    IReadOnlySet<CaptionChange> LostTo)
{
    /// <summary>Whether the true caption ranked first.</summary>
    public bool IsTop1 => Rank == 1;
}
