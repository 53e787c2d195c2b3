using System.Collections.Concurrent;
using SkiaSharp;

namespace Meg.Imaging;

/// <summary>
/// The font for text on grids and charts. The dependency-free Skia build does not ask fontconfig, so Skia's default
/// typeface may have no glyphs: look for a real file instead (DejaVu ships with Debian's fonts-dejavu-core).
/// </summary>
public static class LabelFonts
{
    private static readonly string[] Candidates =
    [
        "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
        "/usr/share/fonts/dejavu/DejaVuSans.ttf",
        "/usr/share/fonts/TTF/DejaVuSans.ttf",
        "/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf",
        "/usr/share/fonts/liberation/LiberationSans-Regular.ttf",
    ];

    private static readonly Lazy<SKTypeface?> Found = new(FindSystemFont);

    // Typefaces are loaded once per file and kept for the process (they are small and immutable).
    private static readonly ConcurrentDictionary<string, SKTypeface?> ByFile = new();

    /// <summary>Whether a font with Latin glyphs was found; without one, text is left blank.</summary>
    public static bool Available => Found.Value is not null;

    /// <summary>The font found in the usual places, else Skia's default (which may draw nothing).</summary>
    public static SKTypeface Regular => Found.Value ?? SKTypeface.Default;

    /// <summary>The font in <paramref name="path"/>, or null when it cannot be read or has no Latin glyphs.</summary>
    public static SKTypeface? FromFile(string path) => ByFile.GetOrAdd(path, Load);

    private static SKTypeface? FindSystemFont()
    {
        foreach (var path in Candidates)
        {
            if (FromFile(path) is { } typeface)
            {
                return typeface;
            }
        }

        var fallback = SKTypeface.Default;
        return HasLatinGlyphs(fallback) ? fallback : null;
    }

    private static SKTypeface? Load(string path)
    {
        try
        {
            if (!File.Exists(path))
            {
                return null;
            }

            var typeface = SKTypeface.FromFile(path);
            return typeface is not null && HasLatinGlyphs(typeface) ? typeface : null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException)
        {
            return null;
        }
    }

    private static bool HasLatinGlyphs(SKTypeface typeface) => typeface.GetGlyph('A') != 0;
}
