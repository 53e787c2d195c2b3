using System.Diagnostics.CodeAnalysis;
using SkiaSharp;

namespace Meg.Imaging;

/// <summary>
/// Lossy JPEG for <see cref="RgbImage"/>, used to send compressed images over a noisy channel. Corrupted
/// bytes are an expected outcome there, so <see cref="TryDecode"/> reports failure instead of throwing.
/// </summary>
public static class JpegCodec
{
    public const int DefaultQuality = 90;

    /// <summary>The image as JPEG bytes; <paramref name="quality"/> is 1 (smallest) to 100 (best).</summary>
    public static byte[] Encode(RgbImage image, int quality = DefaultQuality)
    {
        if (quality is < 1 or > 100)
        {
            throw new ArgumentOutOfRangeException(nameof(quality), quality, "JPEG quality must be 1..100.");
        }

        return ImageEncoder.Encode(image, SKEncodedImageFormat.Jpeg, quality);
    }

    /// <summary>Writes the image as a JPEG file, creating the folder if needed.</summary>
    public static void WriteFile(RgbImage image, string path, int quality = DefaultQuality) =>
        ImageEncoder.WriteFile(Encode(image, quality), path);

    /// <exception cref="InvalidImageException">The bytes are not a decodable image.</exception>
    public static RgbImage Decode(ReadOnlySpan<byte> data) => ImageDecoder.Decode(data, path: null);

    /// <inheritdoc cref="PngCodec.TryDecode"/>
    public static bool TryDecode(
        ReadOnlySpan<byte> data,
        [NotNullWhen(true)] out RgbImage? image,
        [NotNullWhen(false)] out string? error,
        bool acceptPartial = false) =>
        ImageDecoder.TryDecode(data, acceptPartial, out image, out error);
}
