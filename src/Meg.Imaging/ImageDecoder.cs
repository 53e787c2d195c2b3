using System.Diagnostics.CodeAnalysis;
using SkiaSharp;

namespace Meg.Imaging;

/// <summary>
/// Decodes any format Skia knows into <see cref="RgbImage"/>: alpha is flattened on white, gray is expanded
/// to RGB, and no colour-space conversion is applied (pixel values stay as stored).
/// </summary>
internal static class ImageDecoder
{
    public static RgbImage Decode(ReadOnlySpan<byte> data, string? path)
    {
        if (TryDecode(data, acceptPartial: false, out var image, out var error))
        {
            return image;
        }

        throw new InvalidImageException(error, path);
    }

    public static unsafe bool TryDecode(
        ReadOnlySpan<byte> data,
        bool acceptPartial,
        [NotNullWhen(true)] out RgbImage? image,
        [NotNullWhen(false)] out string? error)
    {
        image = null;
        if (data.IsEmpty)
        {
            error = "the input is empty (0 bytes)";
            return false;
        }

        try
        {
            SKCodec? codec;
            fixed (byte* p = data)
            {
                using var skData = SKData.CreateCopy((IntPtr)p, (ulong)data.Length);
                codec = SKCodec.Create(skData);
            }

            if (codec is null)
            {
                error = $"not a recognised image format (first bytes: {Convert.ToHexString(data[..Math.Min(8, data.Length)])})";
                return false;
            }

            using (codec)
            {
                int width = codec.Info.Width, height = codec.Info.Height;
                if (width < 1 || height < 1 || width > RgbImage.MaxSide || height > RgbImage.MaxSide)
                {
                    error = $"the header claims a {width}x{height} image; width and height must be 1..{RgbImage.MaxSide}";
                    return false;
                }

                // ColorSpace left null: no colour management, pixel values as stored.
                var info = new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Unpremul);
                var rgba = new byte[info.BytesSize];
                SKCodecResult result;
                fixed (byte* p = rgba)
                {
                    result = codec.GetPixels(info, (IntPtr)p);
                }

                bool partial = result is SKCodecResult.IncompleteInput or SKCodecResult.ErrorInInput;
                if (result != SKCodecResult.Success && !(partial && acceptPartial))
                {
                    error = $"{codec.EncodedFormat} decoding failed ({result})";
                    return false;
                }

                image = RgbImage.TakeOwnership(width, height, FlattenOnWhite(rgba, width * height));
                error = null;
                return true;
            }
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            error = $"the decoder failed: {e.Message}";
            return false;
        }
    }

    private static byte[] FlattenOnWhite(byte[] rgba, int pixels)
    {
        var rgb = new byte[pixels * 3];
        for (int p = 0; p < pixels; p++)
        {
            int a = rgba[p * 4 + 3];
            for (int c = 0; c < 3; c++)
            {
                int v = rgba[p * 4 + c];
                rgb[p * 3 + c] = a == 255 ? (byte)v : (byte)((v * a + 255 * (255 - a) + 127) / 255);
            }
        }

        return rgb;
    }

    public static byte[] ReadAll(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        using var buffer = new MemoryStream();
        stream.CopyTo(buffer);
        return buffer.ToArray();
    }
}
