using Meg.Imaging;

namespace Meg.Quality;

/// <summary>
/// Peak signal-to-noise ratio in dB: 10 log10(range^2 / MSE), the MSE taken over all pixels and channels
/// together (as scikit-image's peak_signal_noise_ratio). Identical inputs give +infinity (MSE = 0); callers
/// that average PSNR over runs must decide how to treat that (e.g. report the count of perfect runs apart).
/// </summary>
public static class Psnr
{
    public const double DefaultDataRange = 255.0;

    /// <summary>PSNR of two same-size 8-bit images, data range 255. +infinity when identical.</summary>
    public static double Compute(RgbImage reference, RgbImage test)
    {
        Planes.CheckPair(reference, test);
        return FromMse(MeanSquaredError(reference, test), DefaultDataRange);
    }

    /// <summary>PSNR of two float buffers of equal length, e.g. CHW planes in [-1,1] (data range 2).</summary>
    public static double Compute(ReadOnlySpan<float> reference, ReadOnlySpan<float> test, double dataRange)
    {
        if (reference.Length != test.Length || reference.IsEmpty)
        {
            throw new ArgumentException($"Buffers must be non-empty and equally long (got {reference.Length} and {test.Length}).");
        }

        Planes.CheckDataRange(dataRange);
        double sum = 0;
        for (int i = 0; i < reference.Length; i++)
        {
            double d = (double)reference[i] - test[i];
            sum += d * d;
        }

        return FromMse(sum / reference.Length, dataRange);
    }

    /// <summary>Mean of squared differences over all pixels and channels.</summary>
    public static double MeanSquaredError(RgbImage reference, RgbImage test)
    {
        Planes.CheckPair(reference, test);
        ReadOnlySpan<byte> a = reference.Pixels, b = test.Pixels;
        long sum = 0;
        for (int i = 0; i < a.Length; i++)
        {
            int d = a[i] - b[i];
            sum += d * d;
        }

        return (double)sum / a.Length;
    }

    /// <summary>10 log10(range^2 / mse); +infinity for mse = 0.</summary>
    public static double FromMse(double mse, double dataRange = DefaultDataRange)
    {
        if (!(mse >= 0))
        {
            throw new ArgumentOutOfRangeException(nameof(mse), mse, "MSE must be >= 0.");
        }

        Planes.CheckDataRange(dataRange);
        return mse == 0 ? double.PositiveInfinity : 10.0 * Math.Log10(dataRange * dataRange / mse);
    }
}
