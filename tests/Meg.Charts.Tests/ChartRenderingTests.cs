using SkiaSharp;

namespace Meg.Charts.Tests;

/// <summary>Charts come out as PNGs of the asked size with the data drawn in the series' colours.</summary>
public sealed class ChartRenderingTests
{
    // The first two colours of the palette (Okabe-Ito blue and vermillion).
    private static readonly SKColor First = new(0, 114, 178);
    private static readonly SKColor Second = new(213, 94, 0);

    [Fact]
    public void A_line_chart_is_a_png_of_the_asked_size_with_each_series_drawn_in_its_colour()
    {
        var chart = new LineChart { Title = "SSIM vs SNR", XLabel = "SNR (dB)", YLabel = "SSIM" }
            .Add(new Series("CIAG", [-10, 0, 10, 20], [0.1, 0.7, 0.99, 1.0]))
            .Add(new Series("Centralized", [-10, 0, 10, 20], [0.02, 0.07, 0.23, 0.6]));

        using var bitmap = SKBitmap.Decode(chart.RenderPng(640, 400));

        Assert.Equal((640, 400), (bitmap.Width, bitmap.Height));
        Assert.True(Count(bitmap, First) > 50, "the first series is not drawn");
        Assert.True(Count(bitmap, Second) > 50, "the second series is not drawn");
    }

    [Fact]
    public void Non_finite_points_leave_a_gap_instead_of_failing()
    {
        var chart = new LineChart { LogY = true }.Add(new Series("BER", [0, 1, 2, 3], [1e-2, double.NaN, 1e-4, 0]));

        using var bitmap = SKBitmap.Decode(chart.RenderPng(400, 300));

        Assert.Equal(400, bitmap.Width);
        Assert.True(Count(bitmap, First) > 0);
    }

    [Fact]
    public void A_bar_chart_draws_taller_bars_for_larger_values()
    {
        var chart = new BarChart { Title = "Channel uses", Bars = [("Centralized", 1.0), ("CIAG", 0.25)] };

        using var bitmap = SKBitmap.Decode(chart.RenderPng(600, 400));

        var heights = new[] { First, Second }.Select(c => ColumnHeight(bitmap, c)).ToArray();
        Assert.True(heights[1] > 0, "the smaller bar is not drawn");
        Assert.InRange(heights[0] / (double)heights[1], 3.5, 4.5);
    }

    [Fact]
    public void A_stacked_bar_chart_stacks_each_part_in_its_colour_at_its_height()
    {
        var chart = new StackedBarChart
        {
            Title = "Time by part",
            Categories = ["CIAG@1", "CIAG@2"],
            Parts = [("wait", [30.0, 10.0]), ("service", [10.0, 10.0])],
        };

        using var bitmap = SKBitmap.Decode(chart.RenderPng(700, 400));

        var (wait, service) = (ColumnHeight(bitmap, First), ColumnHeight(bitmap, Second));
        Assert.True(service > 0, "the upper part is not drawn");
        Assert.InRange(wait / (double)service, 2.6, 3.4);
    }

    private static int Count(SKBitmap bitmap, SKColor color)
    {
        var count = 0;
        for (var y = 0; y < bitmap.Height; y++)
        {
            for (var x = 0; x < bitmap.Width; x++)
            {
                count += Near(bitmap.GetPixel(x, y), color) ? 1 : 0;
            }
        }

        return count;
    }

    /// <summary>The tallest column of <paramref name="color"/> pixels: a bar's height.</summary>
    private static int ColumnHeight(SKBitmap bitmap, SKColor color) =>
        Enumerable.Range(0, bitmap.Width).Max(x => Enumerable.Range(0, bitmap.Height).Count(y => Near(bitmap.GetPixel(x, y), color)));

    private static bool Near(SKColor a, SKColor b) => Math.Abs(a.Red - b.Red) + Math.Abs(a.Green - b.Green) + Math.Abs(a.Blue - b.Blue) < 24;
}
