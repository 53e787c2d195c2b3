using Meg.Imaging;

namespace Meg.Quality;

/// <summary>
/// The fidelity measures of one image against its reference (e.g. the noiseless run of the same protocol
/// and seed), computed with one conversion to planes. PSNR is +infinity for identical images.
/// </summary>
public readonly record struct ImageQuality(double Psnr, double Ssim, double MsSsim)
{
    /// <summary>
    /// All three measures. MS-SSIM is NaN for images smaller than <see cref="Quality.MsSsim.MinimumSide"/>
    /// and SSIM is NaN below 11x11, rather than failing the whole measurement.
    /// </summary>
    public static ImageQuality Measure(RgbImage reference, RgbImage test)
    {
        Planes.CheckPair(reference, test);
        int w = reference.Width, h = reference.Height;
        double psnr = Quality.Psnr.FromMse(Quality.Psnr.MeanSquaredError(reference, test));
        if (w < Quality.Ssim.WindowSize || h < Quality.Ssim.WindowSize)
        {
            return new ImageQuality(psnr, double.NaN, double.NaN);
        }

        double[][] a = Planes.FromImage(reference), b = Planes.FromImage(test);
        double ssim = Quality.Ssim.Mean(a, b, w, h, Quality.Psnr.DefaultDataRange);
        double msSsim = w < Quality.MsSsim.MinimumSide || h < Quality.MsSsim.MinimumSide
            ? double.NaN
            : Quality.MsSsim.Mean(a, b, w, h, Quality.Psnr.DefaultDataRange);
        return new ImageQuality(psnr, ssim, msSsim);
    }
}
