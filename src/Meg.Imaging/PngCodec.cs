using System.Diagnostics.CodeAnalysis;
using SkiaSharp;

namespace Meg.Imaging;

/// <summary>
/// Lossless PNG files for <see cref="RgbImage"/>. Decoding accepts any format Skia reads (PNG, JPEG, WebP,
/// BMP, GIF); alpha is flattened on white and gray is expanded to RGB.
/// </summary>
public static class PngCodec
{
    /// <summary>The image as PNG bytes (8-bit RGB, lossless).</summary>
    public static byte[] Encode(RgbImage image) => ImageEncoder.Encode(image, SKEncodedImageFormat.Png, 100);

    /// <summary>
    /// The image as PNG bytes, compressed for speed rather than size (zlib level 1): about 10 times faster than
    /// <see cref="Encode"/> on a generated 64x64 image (0.2 against 2 ms here) for about 20% more bytes. For answers
    /// on a request's path, where the encoding is waited for and the bytes only cross loopback or a LAN.
    /// </summary>
    public static byte[] EncodeFast(RgbImage image) => ImageEncoder.Encode(image, FastOptions);

    private static readonly SKPngEncoderOptions FastOptions = new(SKPngEncoderFilterFlags.AllFilters, zLibLevel: 1);

    /// <summary>Writes the image as a PNG file, creating the folder if needed.</summary>
    public static void WriteFile(RgbImage image, string path) => ImageEncoder.WriteFile(Encode(image), path);

    /// <exception cref="InvalidImageException">The bytes are not a decodable image.</exception>
    public static RgbImage Decode(ReadOnlySpan<byte> data) => ImageDecoder.Decode(data, path: null);

    /// <exception cref="InvalidImageException">The stream does not hold a decodable image.</exception>
    public static RgbImage Decode(Stream stream) => ImageDecoder.Decode(ImageDecoder.ReadAll(stream), path: null);

    /// <exception cref="FileNotFoundException">No such file.</exception>
    /// <exception cref="InvalidImageException">The file is not a decodable image; the message names the file.</exception>
    public static RgbImage ReadFile(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        return ImageDecoder.Decode(File.ReadAllBytes(path), path);
    }

    /// <summary>
    /// Decodes without throwing: false with a reason for bytes that are not a complete, valid image.
    /// With <paramref name="acceptPartial"/>, a truncated or damaged stream that still yields pixels counts as
    /// decoded (the undecodable part comes back as the decoder left it).
    /// </summary>
    public static bool TryDecode(
        ReadOnlySpan<byte> data,
        [NotNullWhen(true)] out RgbImage? image,
        [NotNullWhen(false)] out string? error,
        bool acceptPartial = false) =>
        ImageDecoder.TryDecode(data, acceptPartial, out image, out error);

    /// <summary>
    /// The width and height a PNG's header (its IHDR chunk) claims, read without decoding anything: a server can refuse
    /// an image too large for it before it spends memory on the pixels. False when the bytes do not start like a PNG.
    /// </summary>
    public static bool TryReadSize(ReadOnlySpan<byte> data, out int width, out int height)
    {
        (width, height) = (0, 0);
        ReadOnlySpan<byte> signature = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];
        // Signature (8), then the first chunk: length (4), "IHDR" (4), width (4), height (4), all big-endian.
        if (data.Length < 24 || !data.StartsWith(signature) || !data[12..16].SequenceEqual("IHDR"u8))
        {
            return false;
        }

        var w = System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(data[16..20]);
        var h = System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(data[20..24]);
        (width, height) = ((int)Math.Min(w, int.MaxValue), (int)Math.Min(h, int.MaxValue));
        return true;
    }
}
