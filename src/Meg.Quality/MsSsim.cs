using System.Collections.Immutable;
using Meg.Imaging;

namespace Meg.Quality;

/// <summary>
/// Multi-scale SSIM (Wang, Simoncelli, Bovik 2003) as pytorch_msssim computes it: 5 scales with weights
/// 0.0448, 0.2856, 0.3001, 0.2363, 0.1333; the contrast-structure term (cs) at scales 1-4 and the full SSIM
/// (luminance included) at scale 5; between scales a 2x2 average (an odd last row/column is dropped);
/// negative terms clamped to 0 before the fractional powers; computed per channel, then averaged.
/// <para>
/// Small images: the standard form needs the smaller side above 160 (an 11-wide window at scale 5).
/// Here, at any scale whose smaller side s is below 11, the window shrinks to the largest odd size
/// w &lt;= s and sigma to 1.5 * w / 11 (the rule of the original TensorFlow MS-SSIM code, kept odd so the
/// window stays centred). A 64x64 image thus uses windows 11, 11, 11, 7, 3 at sides 64, 32, 16, 8, 4.
/// Above 160 pixels per side nothing shrinks and the result equals pytorch_msssim's. The smaller side
/// must be at least <see cref="MinimumSide"/> so that scale 5 has a pixel.
/// </para>
/// </summary>
public static class MsSsim
{
    public const int Scales = 5;

    /// <summary>Each side must be at least this (16 = 2^4): scale 5 is then at least 1x1.</summary>
    public const int MinimumSide = 16;

    public static readonly ImmutableArray<double> Weights = [0.0448, 0.2856, 0.3001, 0.2363, 0.1333];

    /// <summary>MS-SSIM of two same-size 8-bit RGB images (data range 255); 1 for identical images.</summary>
    public static double Compute(RgbImage reference, RgbImage test)
    {
        Planes.CheckPair(reference, test);
        CheckSize(reference.Width, reference.Height);
        return Mean(Planes.FromImage(reference), Planes.FromImage(test), reference.Width, reference.Height, Psnr.DefaultDataRange);
    }

    /// <summary>MS-SSIM of two planar (C, H, W) float buffers; <paramref name="dataRange"/> as for <see cref="Ssim"/>.</summary>
    public static double Compute(ReadOnlySpan<float> reference, ReadOnlySpan<float> test, int channels, int width, int height, double dataRange)
    {
        Planes.CheckChw(reference, test, channels, width, height, dataRange);
        CheckSize(width, height);
        return Mean(Planes.FromChw(reference, channels, width, height), Planes.FromChw(test, channels, width, height), width, height, dataRange);
    }

    /// <summary>The window size used at a scale whose planes are width x height.</summary>
    public static int WindowSizeFor(int width, int height)
    {
        int side = Math.Min(width, height);
        return Math.Min(Ssim.WindowSize, side % 2 == 1 ? side : side - 1);
    }

    internal static double Mean(double[][] a, double[][] b, int width, int height, double dataRange)
    {
        double sum = 0;
        for (int c = 0; c < a.Length; c++)
        {
            sum += Channel(a[c], b[c], width, height, dataRange);
        }

        return sum / a.Length;
    }

    private static double Channel(double[] x, double[] y, int width, int height, double dataRange)
    {
        double result = 1;
        for (int scale = 0; scale < Scales; scale++)
        {
            int size = WindowSizeFor(width, height);
            double[] window = SsimCore.Window(size, Ssim.Sigma * size / Ssim.WindowSize);
            var (ssim, cs) = SsimCore.Mean(x, y, width, height, window, dataRange);
            bool last = scale == Scales - 1;
            result *= Math.Pow(Math.Max(last ? ssim : cs, 0), Weights[scale]);
            if (!last)
            {
                x = Downsample(x, width, height);
                y = Downsample(y, width, height);
                width /= 2;
                height /= 2;
            }
        }

        return result;
    }

    private static double[] Downsample(double[] plane, int width, int height)
    {
        int w = width / 2, h = height / 2;
        var result = new double[w * h];
        for (int i = 0; i < h; i++)
        {
            int top = 2 * i * width, bottom = top + width;
            for (int j = 0; j < w; j++)
            {
                result[i * w + j] = 0.25 * (plane[top + 2 * j] + plane[top + 2 * j + 1] + plane[bottom + 2 * j] + plane[bottom + 2 * j + 1]);
            }
        }

        return result;
    }

    private static void CheckSize(int width, int height)
    {
        if (width < MinimumSide || height < MinimumSide)
        {
            throw new ArgumentException(
                $"MS-SSIM needs images of at least {MinimumSide}x{MinimumSide} ({Scales} scales of 2x2 averaging); got {width}x{height}.");
        }
    }
}
