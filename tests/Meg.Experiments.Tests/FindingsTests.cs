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
        var rows = new[] { Row("EIUG", 0, 0.3) with { Psnr = 14.5 }, Row("EIUG+robust", 0, 0.88) with { Psnr = 21.8 } };

        var result = Result(rows);

        Assert.Equal(7.3, Findings.RobustGainDb(result, "EIUG", 0)!.Value, 9);
        Assert.Null(Findings.RobustGainDb(result, "EIUG", 5));
    }

    private static SummaryRow[] Rows(string protocol, params (double Snr, double Ssim)[] points) =>
        points.Select(p => Row(protocol, p.Snr, p.Ssim)).ToArray();

    private static SummaryRow Row(string protocol, double snrDb, double ssim) =>
        new(protocol, snrDb, 8, 20, ssim, ssim, 20, ssim, 0.9, 10, 1000, 1, 32000, 0, 0);

    private static ExperimentResult Result(IReadOnlyList<SummaryRow> rows) =>
        new(new ExperimentOptions(), "test", [], rows, [],
            new ExampleImages("", RgbImage.Filled(1, 1, new Rgb(0, 0, 0)), new Dictionary<string, RgbImage>(), new Dictionary<(string, double), RgbImage>()),
            TimeSpan.Zero);
}
