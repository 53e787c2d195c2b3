namespace Meg.Charts;

/// <summary>One named line of a <see cref="LineChart"/>. Points with a non-finite y are skipped
/// (a gap in the line), so "no errors measured" can be passed through as NaN.</summary>
/// <param name="Band">Optional shaded range (e.g. a confidence interval) drawn as a translucent fill in the series'
/// colour beneath the line; null draws the line alone.</param>
/// <param name="Colour">Palette slot of the line's colour, so related series (a protocol and its variant) can share
/// one; null: the series' position in the chart.</param>
public sealed record Series(
    string Name,
    IReadOnlyList<double> X,
    IReadOnlyList<double> Y,
    bool Dashed = false,
    bool Markers = true,
    SeriesBand? Band = null,
    int? Colour = null);
