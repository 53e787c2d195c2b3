using Meg.Imaging;

namespace Meg.Quality;

/// <summary>
/// Structural similarity (Wang et al. 2004) with an 11-wide Gaussian window (sigma 1.5), K1 = 0.01,
/// K2 = 0.03, population covariances, computed per channel and averaged. Matches scikit-image's
/// <c>structural_similarity(a, b, gaussian_weights=True, sigma=1.5, use_sample_covariance=False,
/// data_range=255, channel_axis=-1)</c>: the mean is over the pixels at least 5 from every border.
/// Images must be at least 11x11.
/// </summary>
public static class Ssim
{
    public const int WindowSize = 11;
    public const double Sigma = 1.5;

    /// <summary>SSIM of two same-size 8-bit RGB images (data range 255); 1 for identical images.</summary>
    public static double Compute(RgbImage reference, RgbImage test)
    {
        Planes.CheckPair(reference, test);
        CheckSize(reference.Width, reference.Height);
        return Mean(Planes.FromImage(reference), Planes.FromImage(test), reference.Width, reference.Height, Psnr.DefaultDataRange);
    }

    /// <summary>
    /// SSIM of two planar (C, H, W) float buffers, averaged over channels. <paramref name="dataRange"/> is the
    /// span of the value scale: 255 for bytes, 1 for [0,1], 2 for [-1,1]. SSIM is scale-invariant but not
    /// shift-invariant (the luminance term), so [0,1] with range 1 reproduces the byte result and [-1,1]
    /// does not: compare images in [0,1] when the number must match <see cref="Compute(RgbImage, RgbImage)"/>.
    /// </summary>
    public static double Compute(ReadOnlySpan<float> reference, ReadOnlySpan<float> test, int channels, int width, int height, double dataRange)
    {
        Planes.CheckChw(reference, test, channels, width, height, dataRange);
        CheckSize(width, height);
        return Mean(Planes.FromChw(reference, channels, width, height), Planes.FromChw(test, channels, width, height), width, height, dataRange);
    }

    internal static double Mean(double[][] a, double[][] b, int width, int height, double dataRange)
    {
        double[] window = SsimCore.Window(WindowSize, Sigma);
        double sum = 0;
        for (int c = 0; c < a.Length; c++)
        {
            sum += SsimCore.Mean(a[c], b[c], width, height, window, dataRange).Ssim;
        }

        return sum / a.Length;
    }

    private static void CheckSize(int width, int height)
    {
        if (width < WindowSize || height < WindowSize)
        {
            throw new ArgumentException(
                $"SSIM needs images of at least {WindowSize}x{WindowSize} (the Gaussian window); got {width}x{height}.");
        }
    }
}
