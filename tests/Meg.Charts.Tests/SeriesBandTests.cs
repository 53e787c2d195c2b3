using SkiaSharp;

namespace Meg.Charts.Tests;

/// <summary>A series' band is a translucent fill in its colour between the band's edges, and nothing else.</summary>
public sealed class SeriesBandTests
{
    private const int Width = 600;
    private const int Height = 400;

    [Fact]
    public void Pixels_between_the_band_edges_are_tinted_in_the_series_colour_around_the_line()
    {
        // A flat line at 0.5 with a band from 0.3 to 0.7 on a fixed 0..1 axis: the band is the middle 40% of the plot.
        var banded = new LineChart { YRange = (0, 1) }
            .Add(new Series("CIAG", [0, 1, 2], [0.5, 0.5, 0.5], Markers: false, Band: new SeriesBand([0.3, 0.3, 0.3], [0.7, 0.7, 0.7])));
        var plain = new LineChart { YRange = (0, 1) }.Add(new Series("CIAG", [0, 1, 2], [0.5, 0.5, 0.5], Markers: false));

        using var bandedBitmap = SKBitmap.Decode(banded.RenderPng(Width, Height));
        using var plainBitmap = SKBitmap.Decode(plain.RenderPng(Width, Height));

        // The middle column, which crosses the line, the band and the plain plot area above and below it.
        var x = Width / 2;
        var tintedWithBand = TintedRows(bandedBitmap, x);
        var tintedWithout = TintedRows(plainBitmap, x);
        // Without a band only the line's anti-aliased edges are light blue.
        Assert.InRange(tintedWithout.Count, 0, 4);
        Assert.True(tintedWithBand.Count > 50, $"only {tintedWithBand.Count} tinted rows");

        // The tinted rows form one block around the line, spanning 40% of the plot's height; the plot is most of
        // the picture's height, so the block is 25% to 40% of the picture (generous bounds for the frame's margins).
        var span = tintedWithBand.Max() - tintedWithBand.Min() + 1;
        Assert.InRange(span / (double)Height, 0.25, 0.40);
        var lineRow = Enumerable.Range(0, Height).First(y => Near(bandedBitmap.GetPixel(x, y), new SKColor(0, 114, 178)));
        Assert.InRange(lineRow, tintedWithBand.Min(), tintedWithBand.Max());
    }

    [Fact]
    public void A_band_on_a_log_axis_with_missing_edges_renders_with_a_gap_instead_of_failing()
    {
        var chart = new LineChart { LogY = true }.Add(new Series("BER", [0, 1, 2, 3, 4], [1e-2, 1e-3, 1e-4, 1e-5, 1e-6],
            Band: new SeriesBand([5e-3, 5e-4, double.NaN, 5e-6, 0], [2e-2, 2e-3, 2e-4, 2e-5, 2e-6])));

        using var bitmap = SKBitmap.Decode(chart.RenderPng(Width, Height));

        Assert.Equal(Width, bitmap.Width);
    }

    [Theory]
    [InlineData(2, 3, "Band.Lower")]
    [InlineData(3, 4, "Band.Upper")]
    public void A_band_of_the_wrong_length_is_refused_naming_the_edge(int lowerCount, int upperCount, string field)
    {
        var band = new SeriesBand(new double[lowerCount], new double[upperCount]);

        var error = Assert.Throws<ArgumentException>(() => new LineChart().Add(new Series("s", [0, 1, 2], [1, 2, 3], Band: band)));

        Assert.Contains(field, error.Message);
    }

    /// <summary>Rows of column <paramref name="x"/> whose pixel is a light tint of the first palette colour (blue):
    /// light (unlike the line itself, red about 0), not white or grey, and bluer than it is red.</summary>
    private static List<int> TintedRows(SKBitmap bitmap, int x) =>
        Enumerable.Range(0, bitmap.Height).Where(y =>
        {
            var p = bitmap.GetPixel(x, y);
            return p.Red > 150 && p.Blue - p.Red > 20 && p.Blue - p.Green > 5;
        }).ToList();

    private static bool Near(SKColor a, SKColor b) => Math.Abs(a.Red - b.Red) + Math.Abs(a.Green - b.Green) + Math.Abs(a.Blue - b.Blue) < 24;
}
