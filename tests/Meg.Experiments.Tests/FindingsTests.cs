using Meg.Experiments.Statistics;
using Meg.Imaging;

namespace Meg.Experiments.Tests;

/// <summary>The case study's headline numbers, read off a result's summary rows.</summary>
public sealed class FindingsTests
{
    [Fact]
    public void Quality_counts_as_kept_only_from_the_snr_where_it_stays_above_the_bar_at_every_higher_snr()
    {
        // A dip at 10 dB: 5 dB clears the bar but does not count, because quality falls below it again.
        var result = Result(Rows("CIAG", (-5, 0.30), (0, 0.96), (5, 0.97), (10, 0.94), (15, 0.98), (20, 0.99)));

        Assert.Equal(15, Findings.LowestSnrKeepingQuality(result, "CIAG"));
    }

    [Fact]
    public void A_protocol_that_never_reaches_the_bar_has_no_snr()
    {
        var result = Result(Rows("Centralized", (0, 0.07), (10, 0.23), (20, 0.595)));

        Assert.Null(Findings.LowestSnrKeepingQuality(result, "Centralized"));
    }

    [Fact]
    public void Channel_uses_relative_to_centralized_average_over_snrs_and_an_unknown_protocol_is_nan()
    {
        var rows = new[] { Row("CIAG", 0, 0.5) with { ChannelUsesRelativeToCentralized = 0.15 }, Row("CIAG", 10, 0.9) with { ChannelUsesRelativeToCentralized = 0.17 } };

        var result = Result(rows);

        Assert.Equal(0.16, Findings.ChannelUsesRelative(result, "CIAG"), 12);
        Assert.True(double.IsNaN(Findings.ChannelUsesRelative(result, "UIEG")));
    }

    [Fact]
    public void The_robust_decoder_gain_is_the_psnr_difference_at_the_same_snr()
    {
        var rows = new[] { Row("EIUG", 0, 0.3) with { Psnr = Point(14.5) }, Row("EIUG+robust", 0, 0.88) with { Psnr = Point(21.8) } };

        var result = Result(rows);

        Assert.Equal(7.3, Findings.RobustGainDb(result, "EIUG", 0)!.Value, 9);
        Assert.Null(Findings.RobustGainDb(result, "EIUG", 5));
    }

    [Fact]
    public void The_sketch_gain_is_the_run_over_its_control_and_absent_without_one()
    {
        var rows = new[]
        {
            Row("ESUC", 0, 0.9) with { SsimVsCentralized = Point(0.62) },
            Row("ESUC", 0, 0.9) with { Variant = ProtocolVariant.Control, SsimVsCentralized = Point(0.41) },
        };

        var result = Result(rows);

        Assert.Equal(0.21, Findings.SketchGain(result, "ESUC", 0)!.Value, 12);
        Assert.Null(Findings.SketchGain(result, "ESUC", 5));
        Assert.Null(Findings.SketchGain(result, "CIAG", 0));
    }

    [Fact]
    public void The_strongest_image_baseline_is_the_centralized_variant_closest_to_the_noiseless_image()
    {
        var rows = new[]
        {
            Row("Centralized", -5, 0.04) with { SsimVsCentralized = Point(0.04) },
            Row("Centralized+wiener", -5, 0.31) with { SsimVsCentralized = Point(0.31) },
            Row("Centralized+jpeg", -5, 0.0) with { SsimVsCentralized = Point(0.02) },
            Row("EIUG+robust", -5, 0.8) with { SsimVsCentralized = Point(0.8) }, // not an image baseline
        };

        Assert.Equal("Centralized+wiener", Findings.StrongestImageBaseline(Result(rows), -5)!.Protocol);
        Assert.Null(Findings.StrongestImageBaseline(Result(rows), 10));
    }

    private static ConfidenceInterval Point(double value) => new(value, value, value);

    private static SummaryRow[] Rows(string protocol, params (double Snr, double Ssim)[] points) =>
        points.Select(p => Row(protocol, p.Snr, p.Ssim)).ToArray();

    private static SummaryRow Row(string protocol, double snrDb, double ssim) =>
        new(protocol, ProtocolVariant.Standard, snrDb, 8, Point(20), Point(ssim), ssim, Point(20), Point(ssim), Point(ssim), Point(1), 0.8, 1, double.NaN,
            new LinkUses(100, 900, 0, 900), 1, 1, 32000, 0, 0);

    private static ExperimentResult Result(IReadOnlyList<SummaryRow> rows) =>
        new(new ExperimentOptions(), "test", [], rows, [], double.NaN, [],
            new ExampleImages("", RgbImage.Filled(1, 1, new Rgb(0, 0, 0)), new Dictionary<string, RgbImage>(), new Dictionary<(string, double), RgbImage>()),
            TimeSpan.Zero);
}
