namespace Meg.Imaging;

/// <summary>
/// The adaptive local Wiener (LMMSE) filter for additive white noise of known variance (Lee's filter, as MATLAB's
/// wiener2): each value becomes m + max(v - n, 0) / max(v, n) (y - m), with m and v the mean and variance of the noisy
/// values in a square window around it and n the noise variance. Flat regions are smoothed towards their mean and edges,
/// where the local variance is well above the noise, are kept.
/// </summary>
public static class WienerFilter
{
    /// <summary>Window radius of the filter: 2 is a 5 x 5 window, a good compromise on small images at low SNR.</summary>
    public const int DefaultRadius = 2;

    /// <summary>Largest accepted radius.</summary>
    public const int MaxRadius = 32;

    /// <summary>
    /// Filters one plane of <paramref name="width"/> x <paramref name="height"/> values, row by row, into
    /// <paramref name="output"/> (same length, not the same buffer). The window is cut at the borders.
    /// </summary>
    /// <param name="noisy">The received plane.</param>
    /// <param name="output">Where the estimate goes.</param>
    /// <param name="width">Plane width.</param>
    /// <param name="height">Plane height.</param>
    /// <param name="noiseVariance">Variance of the additive noise, in the plane's units squared; 0 leaves the plane as it is.</param>
    /// <param name="radius">Window radius (0 to <see cref="MaxRadius"/>; 0 is a 1 x 1 window, which changes nothing).</param>
    /// <exception cref="ArgumentException">Sizes that do not match, a negative or non-finite variance, or a bad radius.</exception>
    public static void FilterPlane(ReadOnlySpan<float> noisy, Span<float> output, int width, int height, double noiseVariance, int radius = DefaultRadius)
    {
        if (width < 1 || height < 1 || (long)width * height != noisy.Length)
        {
            throw new ArgumentException($"noisy has {noisy.Length} values but a {width}x{height} plane needs width*height = {(long)width * height} (both at least 1).", nameof(noisy));
        }

        if (output.Length != noisy.Length)
        {
            throw new ArgumentException($"output has {output.Length} values but noisy has {noisy.Length}; they must match.", nameof(output));
        }

        if (!double.IsFinite(noiseVariance) || noiseVariance < 0)
        {
            throw new ArgumentException($"noiseVariance must be a finite number >= 0 (got {noiseVariance}).", nameof(noiseVariance));
        }

        if (radius is < 0 or > MaxRadius)
        {
            throw new ArgumentException($"radius must be between 0 and {MaxRadius} (got {radius}).", nameof(radius));
        }

        if (noiseVariance == 0 || radius == 0)
        {
            // Nothing to remove, or a window of one value: the estimate is the value itself.
            noisy.CopyTo(output);
            return;
        }

        // Summed-area tables of y and y^2 (in double, so the variance does not cancel away) make each window O(1).
        int stride = width + 1;
        var sum = new double[stride * (height + 1)];
        var squares = new double[stride * (height + 1)];
        for (int y = 0; y < height; y++)
        {
            double rowSum = 0, rowSquares = 0;
            for (int x = 0; x < width; x++)
            {
                double v = noisy[y * width + x];
                rowSum += v;
                rowSquares += v * v;
                sum[(y + 1) * stride + x + 1] = sum[y * stride + x + 1] + rowSum;
                squares[(y + 1) * stride + x + 1] = squares[y * stride + x + 1] + rowSquares;
            }
        }

        for (int y = 0; y < height; y++)
        {
            int top = Math.Max(0, y - radius), bottom = Math.Min(height, y + radius + 1);
            for (int x = 0; x < width; x++)
            {
                int left = Math.Max(0, x - radius), right = Math.Min(width, x + radius + 1);
                double count = (bottom - top) * (right - left);
                double s = sum[bottom * stride + right] - sum[top * stride + right] - sum[bottom * stride + left] + sum[top * stride + left];
                double q = squares[bottom * stride + right] - squares[top * stride + right] - squares[bottom * stride + left] + squares[top * stride + left];
                double mean = s / count;
                double variance = Math.Max(0, q / count - mean * mean);
                double denominator = Math.Max(variance, noiseVariance);
                double gain = denominator > 0 ? Math.Max(0, variance - noiseVariance) / denominator : 1;
                int i = y * width + x;
                output[i] = (float)(mean + gain * (noisy[i] - mean));
            }
        }
    }

    /// <summary>Filters each of the <paramref name="planes"/> interleaved planes of <paramref name="values"/> (pixel-major,
    /// as RGB bytes are laid out) in place, with the same noise variance.</summary>
    /// <exception cref="ArgumentException">A negative or non-finite variance, or a bad radius.</exception>
    public static void FilterInterleaved(Span<float> values, int width, int height, int planes, double noiseVariance, int radius = DefaultRadius)
    {
        int pixels = width * height;
        if (planes < 1 || values.Length != pixels * planes)
        {
            throw new ArgumentException($"values has {values.Length} values; {planes} planes of {width}x{height} need {pixels * planes}.", nameof(values));
        }

        var plane = new float[pixels];
        var filtered = new float[pixels];
        for (int c = 0; c < planes; c++)
        {
            for (int i = 0; i < pixels; i++)
            {
                plane[i] = values[planes * i + c];
            }

            FilterPlane(plane, filtered, width, height, noiseVariance, radius);
            for (int i = 0; i < pixels; i++)
            {
                values[planes * i + c] = filtered[i];
            }
        }
    }

    /// <summary>Filters each colour plane of <paramref name="noisy"/> with the same noise variance (in 8-bit pixel units
    /// squared), then rounds and clamps to 0..255.</summary>
    /// <exception cref="ArgumentException">A negative or non-finite variance, or a bad radius.</exception>
    public static RgbImage Filter(RgbImage noisy, double noiseVariance, int radius = DefaultRadius)
    {
        ArgumentNullException.ThrowIfNull(noisy);
        ReadOnlySpan<byte> rgb = noisy.Pixels;
        var values = new float[rgb.Length];
        for (int i = 0; i < values.Length; i++)
        {
            values[i] = rgb[i];
        }

        FilterInterleaved(values, noisy.Width, noisy.Height, 3, noiseVariance, radius);
        var result = new byte[values.Length];
        for (int i = 0; i < values.Length; i++)
        {
            result[i] = (byte)Math.Clamp(MathF.Round(values[i]), 0f, 255f);
        }

        return new RgbImage(noisy.Width, noisy.Height, result);
    }
}
