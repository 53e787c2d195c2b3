using SkiaSharp;

namespace Meg.Imaging;

internal static class ImageEncoder
{
    public static byte[] Encode(RgbImage image, SKEncodedImageFormat format, int quality) =>
        Encode(image, pixmap => pixmap.Encode(format, quality), format.ToString());

    public static byte[] Encode(RgbImage image, SKPngEncoderOptions options) =>
        Encode(image, pixmap => pixmap.Encode(options), "PNG");

    private static unsafe byte[] Encode(RgbImage image, Func<SKPixmap, SKData?> encode, string formatName)
    {
        ArgumentNullException.ThrowIfNull(image);
        int pixels = image.Width * image.Height;
        var rgba = new byte[pixels * 4];
        ReadOnlySpan<byte> rgb = image.Pixels;
        for (int p = 0; p < pixels; p++)
        {
            rgba[p * 4] = rgb[p * 3];
            rgba[p * 4 + 1] = rgb[p * 3 + 1];
            rgba[p * 4 + 2] = rgb[p * 3 + 2];
            rgba[p * 4 + 3] = 255;
        }

        var info = new SKImageInfo(image.Width, image.Height, SKColorType.Rgba8888, SKAlphaType.Opaque);
        fixed (byte* p = rgba)
        {
            using var pixmap = new SKPixmap(info, (IntPtr)p, info.RowBytes);
            using var data = encode(pixmap)
                ?? throw new InvalidOperationException($"Skia could not encode a {image.Width}x{image.Height} image as {formatName}.");
            return data.ToArray();
        }
    }

    public static void WriteFile(byte[] encoded, string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        string? directory = System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(path));
        if (directory is not null)
        {
            Directory.CreateDirectory(directory);
        }

        File.WriteAllBytes(path, encoded);
    }
}
