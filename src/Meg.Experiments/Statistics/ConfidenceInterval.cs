using System.Globalization;

namespace Meg.Experiments.Statistics;

/// <summary>
/// A point estimate with the range that plausibly holds the true value, e.g. a mean SSIM over items and its 95%
/// bootstrap interval. <see cref="Low"/> and <see cref="High"/> are NaN when there was too little data to say.
/// </summary>
/// <param name="Mean">The estimate from all the data (NaN when there was none).</param>
/// <param name="Low">Lower end of the interval.</param>
/// <param name="High">Upper end of the interval.</param>
public readonly record struct ConfidenceInterval(double Mean, double Low, double High)
{
    /// <summary>High minus Low; NaN when the interval is unknown.</summary>
    public double Width => High - Low;

    /// <summary>Whether <paramref name="value"/> lies in [Low, High] (false when the interval is unknown).</summary>
    public bool Contains(double value) => value >= Low && value <= High;

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Mean:G4} [{Low:G4}, {High:G4}]");
}
