using Meg.Imaging;

namespace Meg.Quality;

/// <summary>Channel planes in double precision (what scikit-image computes in), plus input checks.</summary>
internal static class Planes
{
    public static double[][] FromImage(RgbImage image)
    {
        int n = image.Width * image.Height;
        var planes = new[] { new double[n], new double[n], new double[n] };
        ReadOnlySpan<byte> rgb = image.Pixels;
        for (int p = 0, i = 0; p < n; p++, i += 3)
        {
            planes[0][p] = rgb[i];
            planes[1][p] = rgb[i + 1];
            planes[2][p] = rgb[i + 2];
        }

        return planes;
    }

    public static double[][] FromChw(ReadOnlySpan<float> chw, int channels, int width, int height)
    {
        int n = width * height;
        var planes = new double[channels][];
        for (int c = 0; c < channels; c++)
        {
            var plane = new double[n];
            ReadOnlySpan<float> source = chw.Slice(c * n, n);
            for (int p = 0; p < n; p++)
            {
                plane[p] = source[p];
            }

            planes[c] = plane;
        }

        return planes;
    }

    public static void CheckPair(RgbImage a, RgbImage b)
    {
        ArgumentNullException.ThrowIfNull(a);
        a.RequireSameSize(b);
    }

    public static void CheckChw(ReadOnlySpan<float> a, ReadOnlySpan<float> b, int channels, int width, int height, double dataRange)
    {
        if (channels < 1 || width < 1 || height < 1)
        {
            throw new ArgumentOutOfRangeException(
                nameof(channels), $"Shape {channels}x{height}x{width} (C x H x W) is not allowed; each must be >= 1.");
        }

        long expected = (long)channels * width * height;
        if (a.Length != expected || b.Length != expected)
        {
            throw new ArgumentException(
                $"Buffers hold {a.Length} and {b.Length} floats; shape {channels}x{height}x{width} (C x H x W) needs {expected} each.");
        }

        CheckDataRange(dataRange);
    }

    public static void CheckDataRange(double dataRange)
    {
        if (!(dataRange > 0) || double.IsInfinity(dataRange))
        {
            throw new ArgumentOutOfRangeException(
                nameof(dataRange), dataRange, "Data range (max - min of the pixel scale) must be finite and > 0: 255 for bytes, 1 for [0,1], 2 for [-1,1].");
        }
    }
}
