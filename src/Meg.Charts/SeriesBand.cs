namespace Meg.Charts;

/// <summary>
/// A shaded range around a <see cref="Series"/>, e.g. a 95% confidence interval: one lower and one upper value per
/// point of the series (same length as its Y). Points where either edge is not finite (or not positive on a log
/// axis) leave a gap in the band, as missing y values leave a gap in the line.
/// </summary>
public sealed record SeriesBand(IReadOnlyList<double> Lower, IReadOnlyList<double> Upper);
