using Meg.Imaging;
using SkiaSharp;

namespace Meg.Charts;

/// <summary>Title, axes, grid and legend shared by the chart kinds.</summary>
internal sealed class ChartFrame
{
    private readonly SKCanvas _canvas;
    private readonly SKFont _font;
    private readonly SKFont _titleFont;

    public ChartFrame(SKCanvas canvas, int width, int height, string title, string xLabel, string yLabel)
    {
        _canvas = canvas;
        _font = new SKFont(LabelFonts.Regular, 14);
        _titleFont = new SKFont(LabelFonts.Regular, 18) { Embolden = true };
        Plot = new SKRect(80, 50, width - 200, height - 60);
        using var text = new SKPaint { Color = SKColors.Black, IsAntialias = true };
        canvas.DrawText(title, width / 2f, 30, SKTextAlign.Center, _titleFont, text);
        canvas.DrawText(xLabel, Plot.MidX, height - 15, SKTextAlign.Center, _font, text);
        canvas.Save();
        canvas.RotateDegrees(-90, 20, Plot.MidY);
        canvas.DrawText(yLabel, 20, Plot.MidY + 5, SKTextAlign.Center, _font, text);
        canvas.Restore();
    }

    public SKRect Plot { get; }

    public void DrawGrid(IEnumerable<(float X, string Label)> xTicks, IEnumerable<(float Y, string Label)> yTicks)
    {
        using var grid = new SKPaint { Color = new SKColor(225, 225, 225), StrokeWidth = 1, IsStroke = true };
        using var axis = new SKPaint { Color = SKColors.Black, StrokeWidth = 1.5f, IsStroke = true };
        using var text = new SKPaint { Color = SKColors.Black, IsAntialias = true };
        foreach (var (x, label) in xTicks)
        {
            _canvas.DrawLine(x, Plot.Top, x, Plot.Bottom, grid);
            _canvas.DrawText(label, x, Plot.Bottom + 20, SKTextAlign.Center, _font, text);
        }

        foreach (var (y, label) in yTicks)
        {
            _canvas.DrawLine(Plot.Left, y, Plot.Right, y, grid);
            _canvas.DrawText(label, Plot.Left - 8, y + 5, SKTextAlign.Right, _font, text);
        }

        _canvas.DrawRect(Plot, axis);
    }

    public void DrawLegend(IReadOnlyList<(string Name, SKColor Color, bool Dashed)> entries)
    {
        using var text = new SKPaint { Color = SKColors.Black, IsAntialias = true };
        var y = Plot.Top + 10;
        foreach (var (name, color, dashed) in entries)
        {
            using var line = new SKPaint { Color = color, StrokeWidth = 3, IsStroke = true, IsAntialias = true };
            if (dashed)
            {
                line.PathEffect = SKPathEffect.CreateDash([6, 4], 0);
            }

            _canvas.DrawLine(Plot.Right + 15, y, Plot.Right + 45, y, line);
            _canvas.DrawText(name, Plot.Right + 52, y + 5, SKTextAlign.Left, _font, text);
            y += 22;
        }
    }
}
