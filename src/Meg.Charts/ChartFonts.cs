using SkiaSharp;

namespace Meg.Charts;

/// <summary>
/// Finds a real font file: the dependency-free Skia build does not ask fontconfig, so the default
/// typeface may have no glyphs. DejaVu ships with Debian (fonts-dejavu-core).
/// </summary>
public static class ChartFonts
{
    private static readonly string[] Candidates =
    [
        "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
        "/usr/share/fonts/TTF/DejaVuSans.ttf",
        "/usr/share/fonts/dejavu/DejaVuSans.ttf",
        "/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf",
    ];

    private static readonly Lazy<SKTypeface> Loaded = new(Load);

    public static SKTypeface Regular => Loaded.Value;

    /// <summary>True when a font with glyphs was found; charts still render lines without one.</summary>
    public static bool HasGlyphs => Loaded.Value.GlyphCount > 0;

    private static SKTypeface Load()
    {
        foreach (var path in Candidates)
        {
            if (File.Exists(path) && SKTypeface.FromFile(path) is { } face)
            {
                return face;
            }
        }

        return SKTypeface.Default;
    }
}
