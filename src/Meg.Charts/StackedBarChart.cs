using Meg.Imaging;
using SkiaSharp;

namespace Meg.Charts;

/// <summary>A bar per category made of stacked parts (e.g. where a request's time goes: queue wait, service, channel),
/// one colour per part with a legend, saved as PNG. Parts that are not finite or not positive are left out.</summary>
public sealed class StackedBarChart
{
    public string Title { get; init; } = "";

    public string YLabel { get; init; } = "";

    public required IReadOnlyList<string> Categories { get; init; }

    /// <summary>Each part's name and its value in each category (same order as <see cref="Categories"/>), bottom first.</summary>
    public required IReadOnlyList<(string Name, IReadOnlyList<double> Values)> Parts { get; init; }

    public void Save(string path, int width = 900, int height = 560) => File.WriteAllBytes(path, RenderPng(width, height));

    public byte[] RenderPng(int width = 900, int height = 560)
    {
        if (Parts.Any(p => p.Values.Count != Categories.Count))
        {
            throw new ArgumentException($"Every part needs a value for each of the {Categories.Count} categories.", nameof(Parts));
        }

        static double Shown(double v) => double.IsFinite(v) && v > 0 ? v : 0;
        using var surface = SKSurface.Create(new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Premul));
        var canvas = surface.Canvas;
        canvas.Clear(SKColors.White);
        var frame = new ChartFrame(canvas, width, height, Title, "", YLabel);
        var totals = Categories.Select((_, i) => Parts.Sum(p => Shown(p.Values[i]))).ToArray();
        var (yMin, yMax, ticks) = AxisTicks.Linear(0, totals.DefaultIfEmpty(1).Max() is > 0 and var top ? top : 1);
        float Ty(double y) => (float)(frame.Plot.Bottom - (y - yMin) / (yMax - yMin) * frame.Plot.Height);
        var slot = frame.Plot.Width / Math.Max(1, Categories.Count);
        frame.DrawGrid(Categories.Select((c, i) => (frame.Plot.Left + slot * (i + 0.5f), c)), ticks.Select(t => (Ty(t), AxisTicks.Format(t, false))));
        using var label = new SKPaint { Color = SKColors.Black, IsAntialias = true };
        using var font = new SKFont(LabelFonts.Regular, 12);
        for (var i = 0; i < Categories.Count; i++)
        {
            var left = frame.Plot.Left + slot * i + slot * 0.15f;
            var bottom = 0.0;
            for (var k = 0; k < Parts.Count; k++)
            {
                var v = Shown(Parts[k].Values[i]);
                using var fill = new SKPaint { Color = ChartPalette.At(k), IsAntialias = true };
                canvas.DrawRect(new SKRect(left, Ty(bottom + v), left + slot * 0.7f, Ty(bottom)), fill);
                bottom += v;
            }

            canvas.DrawText(FormattableString.Invariant($"{totals[i]:G4}"), left + slot * 0.35f, Ty(totals[i]) - 4, SKTextAlign.Center, font, label);
        }

        frame.DrawLegend(Parts.Select((p, k) => (p.Name, ChartPalette.At(k), false)).ToArray());
        using var image = surface.Snapshot();
        using var data = image.Encode(SKEncodedImageFormat.Png, 100);
        return data.ToArray();
    }
}
