using SkiaSharp;

namespace Meg.Charts;

/// <summary>Colour-blind-friendly line colours (Okabe-Ito, then grey and dark red), repeated when there are more series.</summary>
internal static class ChartPalette
{
    private static readonly SKColor[] Colors =
    [
        new(0, 114, 178), new(213, 94, 0), new(0, 158, 115), new(204, 121, 167),
        new(230, 159, 0), new(86, 180, 233), new(0, 0, 0), new(240, 228, 66),
        new(128, 128, 128), new(153, 0, 0),
    ];

    public static SKColor At(int index) => Colors[index % Colors.Length];
}
