using Meg.Imaging;
using SkiaSharp;

namespace Meg.Charts;

/// <summary>A bar per category (e.g. channel uses per protocol), saved as PNG; optional log scale.</summary>
public sealed class BarChart
{
    public string Title { get; init; } = "";

    public string YLabel { get; init; } = "";

    public bool LogY { get; init; }

    public required IReadOnlyList<(string Category, double Value)> Bars { get; init; }

    public void Save(string path, int width = 900, int height = 560) => File.WriteAllBytes(path, RenderPng(width, height));

    public byte[] RenderPng(int width = 900, int height = 560)
    {
        using var surface = SKSurface.Create(new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Premul));
        var canvas = surface.Canvas;
        canvas.Clear(SKColors.White);
        var frame = new ChartFrame(canvas, width, height, Title, "", YLabel);
        var values = Bars.Select(b => b.Value).Where(v => double.IsFinite(v) && (!LogY || v > 0)).DefaultIfEmpty(1).ToArray();
        var (yMin, yMax, ticks) = LogY ? AxisTicks.Log(values.Min(), values.Max()) : AxisTicks.Linear(Math.Min(0, values.Min()), values.Max());
        double Ty(double y) => LogY
            ? frame.Plot.Bottom - (Math.Log10(y) - Math.Log10(yMin)) / (Math.Log10(yMax) - Math.Log10(yMin)) * frame.Plot.Height
            : frame.Plot.Bottom - (y - yMin) / (yMax - yMin) * frame.Plot.Height;
        var slot = frame.Plot.Width / Math.Max(1, Bars.Count);
        frame.DrawGrid(Bars.Select((b, i) => (frame.Plot.Left + slot * (i + 0.5f), b.Category)), ticks.Select(t => ((float)Ty(t), AxisTicks.Format(t, LogY))));
        using var label = new SKPaint { Color = SKColors.Black, IsAntialias = true };
        using var font = new SKFont(LabelFonts.Regular, 12);
        for (var i = 0; i < Bars.Count; i++)
        {
            var v = Bars[i].Value;
            if (!double.IsFinite(v) || (LogY && v <= 0))
            {
                continue;
            }

            using var fill = new SKPaint { Color = ChartPalette.At(i), IsAntialias = true };
            var left = frame.Plot.Left + slot * i + slot * 0.15f;
            var top = (float)Ty(v);
            canvas.DrawRect(new SKRect(left, top, left + slot * 0.7f, frame.Plot.Bottom), fill);
            canvas.DrawText(AxisTicks.Format(v, false), left + slot * 0.35f, top - 4, SKTextAlign.Center, font, label);
        }

        using var image = surface.Snapshot();
        using var data = image.Encode(SKEncodedImageFormat.Png, 100);
        return data.ToArray();
    }
}
