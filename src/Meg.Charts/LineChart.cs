using System.Globalization;
using SkiaSharp;

namespace Meg.Charts;

/// <summary>A line chart with a legend, saved as PNG (e.g. BER or SSIM against SNR).</summary>
public sealed class LineChart
{
    /// <summary>Opacity of a band's fill: light enough for lines and the grid to show through.</summary>
    private const byte BandAlpha = 56;

    private readonly List<Series> _series = [];

    public string Title { get; init; } = "";

    public string XLabel { get; init; } = "";

    public string YLabel { get; init; } = "";

    /// <summary>Log10 y axis; points with y &lt;= 0 are skipped.</summary>
    public bool LogY { get; init; }

    /// <summary>Optional fixed y range (linear axes), e.g. [0, 1] for SSIM.</summary>
    public (double Min, double Max)? YRange { get; init; }

    public IReadOnlyList<Series> Series => _series;

    public LineChart Add(Series series)
    {
        if (series.X.Count != series.Y.Count)
        {
            throw new ArgumentException($"Series '{series.Name}' has {series.X.Count} x values but {series.Y.Count} y values.");
        }

        if (series.Band is { } band)
        {
            if (band.Lower.Count != series.Y.Count)
            {
                throw new ArgumentException(
                    $"Series '{series.Name}' has {band.Lower.Count} Band.Lower values but {series.Y.Count} y values.", nameof(series));
            }

            if (band.Upper.Count != series.Y.Count)
            {
                throw new ArgumentException(
                    $"Series '{series.Name}' has {band.Upper.Count} Band.Upper values but {series.Y.Count} y values.", nameof(series));
            }
        }

        _series.Add(series);
        return this;
    }

    public void Save(string path, int width = 900, int height = 560) => File.WriteAllBytes(path, RenderPng(width, height));

    public byte[] RenderPng(int width = 900, int height = 560)
    {
        using var surface = SKSurface.Create(new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Premul));
        var canvas = surface.Canvas;
        canvas.Clear(SKColors.White);
        var frame = new ChartFrame(canvas, width, height, Title, XLabel, YLabel);

        // Band edges count towards the axis range so a band is not cut off; without bands the range is as before.
        var points = _series.SelectMany(s => s.X.Zip(s.Y).Concat(BandPoints(s))).Where(p => double.IsFinite(p.First) && Usable(p.Second)).ToArray();
        var (xMin, xMax, xTicks) = AxisTicks.Linear(points.Select(p => p.First).DefaultIfEmpty(0).Min(), points.Select(p => p.First).DefaultIfEmpty(1).Max());
        var (yMin, yMax, yTicks) = LogY
            ? AxisTicks.Log(points.Select(p => p.Second).DefaultIfEmpty(1e-6).Min(), points.Select(p => p.Second).DefaultIfEmpty(1).Max())
            : YRange is { } r ? AxisTicks.Linear(r.Min, r.Max) : AxisTicks.Linear(points.Select(p => p.Second).DefaultIfEmpty(0).Min(), points.Select(p => p.Second).DefaultIfEmpty(1).Max());

        double Tx(double x) => frame.Plot.Left + (x - xMin) / (xMax - xMin) * frame.Plot.Width;
        double Ty(double y) => LogY
            ? frame.Plot.Bottom - (Math.Log10(y) - Math.Log10(yMin)) / (Math.Log10(yMax) - Math.Log10(yMin)) * frame.Plot.Height
            : frame.Plot.Bottom - (y - yMin) / (yMax - yMin) * frame.Plot.Height;

        frame.DrawGrid(xTicks.Select(t => ((float)Tx(t), AxisTicks.Format(t, false))), yTicks.Select(t => ((float)Ty(t), AxisTicks.Format(t, LogY))));
        canvas.Save();
        canvas.ClipRect(frame.Plot);

        // Every band before any line, so no band hides another series' line.
        for (var i = 0; i < _series.Count; i++)
        {
            if (_series[i].Band is { } band)
            {
                DrawBand(canvas, _series[i].X, band, ColourOf(i), Tx, Ty);
            }
        }

        for (var i = 0; i < _series.Count; i++)
        {
            DrawSeries(canvas, _series[i], ColourOf(i), Tx, Ty);
        }

        canvas.Restore();
        frame.DrawLegend(_series.Select((s, i) => (s.Name, ColourOf(i), s.Dashed)).ToArray());
        using var image = surface.Snapshot();
        using var data = image.Encode(SKEncodedImageFormat.Png, 100);
        return data.ToArray();
    }

    private SKColor ColourOf(int series) => ChartPalette.At(_series[series].Colour ?? series);

    private bool Usable(double y) => double.IsFinite(y) && (!LogY || y > 0);

    private static IEnumerable<(double First, double Second)> BandPoints(Series series) =>
        series.Band is { } band ? series.X.Zip(band.Lower).Concat(series.X.Zip(band.Upper)) : [];

    /// <summary>Fills each unbroken run of usable band points as one polygon: along the upper edge, back along the lower.</summary>
    private void DrawBand(SKCanvas canvas, IReadOnlyList<double> xs, SeriesBand band, SKColor color, Func<double, double> tx, Func<double, double> ty)
    {
        using var fill = new SKPaint { Color = color.WithAlpha(BandAlpha), IsStroke = false, IsAntialias = true };
        var run = new List<int>();
        for (var i = 0; i <= xs.Count; i++)
        {
            if (i < xs.Count && double.IsFinite(xs[i]) && Usable(band.Lower[i]) && Usable(band.Upper[i]))
            {
                run.Add(i);
                continue;
            }

            if (run.Count >= 2)
            {
                using var path = new SKPath();
                path.MoveTo((float)tx(xs[run[0]]), (float)ty(band.Upper[run[0]]));
                foreach (var j in run.Skip(1))
                {
                    path.LineTo((float)tx(xs[j]), (float)ty(band.Upper[j]));
                }

                for (var k = run.Count - 1; k >= 0; k--)
                {
                    path.LineTo((float)tx(xs[run[k]]), (float)ty(band.Lower[run[k]]));
                }

                path.Close();
                canvas.DrawPath(path, fill);
            }

            run.Clear(); // a gap in the band, not a fill across missing data
        }
    }

    private void DrawSeries(SKCanvas canvas, Series series, SKColor color, Func<double, double> tx, Func<double, double> ty)
    {
        using var line = new SKPaint { Color = color, StrokeWidth = 2.5f, IsStroke = true, IsAntialias = true };
        if (series.Dashed)
        {
            line.PathEffect = SKPathEffect.CreateDash([8, 6], 0);
        }

        using var dot = new SKPaint { Color = color, IsAntialias = true };
        SKPoint? previous = null;
        for (var i = 0; i < series.X.Count; i++)
        {
            if (!double.IsFinite(series.X[i]) || !Usable(series.Y[i]))
            {
                previous = null; // a gap, not a line through missing data
                continue;
            }

            var p = new SKPoint((float)tx(series.X[i]), (float)ty(series.Y[i]));
            if (previous is { } q)
            {
                canvas.DrawLine(q, p, line);
            }

            if (series.Markers)
            {
                canvas.DrawCircle(p, 4, dot);
            }

            previous = p;
        }
    }

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"LineChart '{Title}' with {_series.Count} series");
}
