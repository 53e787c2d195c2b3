using System.Buffers;
using System.Collections.Concurrent;
using System.Numerics.Tensors;

namespace Meg.Quality;

/// <summary>
/// Mean SSIM and mean contrast-structure (cs) of one plane pair under a Gaussian window, over the "valid"
/// region where the whole window lies inside the image. That region is exactly what scikit-image keeps
/// after cropping (win_size-1)/2 pixels from each border, so its boundary mode never matters.
/// </summary>
internal static class SsimCore
{
    public const double K1 = 0.01;
    public const double K2 = 0.03;

    private static readonly ConcurrentDictionary<(int, double), double[]> Windows = new();

    /// <summary>
    /// Normalised 1-D Gaussian of odd <paramref name="size"/>; for size 11 and sigma 1.5 it equals
    /// scipy.ndimage's kernel with truncate 3.5 (radius int(3.5*1.5+0.5) = 5).
    /// </summary>
    public static double[] Window(int size, double sigma) =>
        Windows.GetOrAdd((size, sigma), key =>
        {
            int radius = key.Item1 / 2;
            var g = new double[key.Item1];
            double sum = 0;
            for (int i = 0; i < g.Length; i++)
            {
                double x = i - radius;
                g[i] = Math.Exp(-0.5 * x * x / (key.Item2 * key.Item2));
                sum += g[i];
            }

            for (int i = 0; i < g.Length; i++)
            {
                g[i] /= sum;
            }

            return g;
        });

    public static (double Ssim, double Cs) Mean(double[] x, double[] y, int width, int height, double[] window, double dataRange)
    {
        int k = window.Length;
        int ow = width - k + 1, oh = height - k + 1;
        int n = width * height;
        double c1 = K1 * dataRange * K1 * dataRange;
        double c2 = K2 * dataRange * K2 * dataRange;

        // One rented buffer: the five inputs (x, y, xx, yy, xy), their horizontal passes (height x ow each)
        // and one output row of each. Every pass is a row-wise multiply-add, which TensorPrimitives vectorises.
        int mapSize = height * ow;
        double[] scratch = ArrayPool<double>.Shared.Rent(3 * n + 5 * mapSize + 5 * ow);
        try
        {
            Span<double> xx = scratch.AsSpan(0, n), yy = scratch.AsSpan(n, n), xy = scratch.AsSpan(2 * n, n);
            TensorPrimitives.Multiply(x, x, xx);
            TensorPrimitives.Multiply(y, y, yy);
            TensorPrimitives.Multiply(x, y, xy);

            int h0 = 3 * n;
            Span<double> hx = scratch.AsSpan(h0, mapSize), hy = scratch.AsSpan(h0 + mapSize, mapSize);
            Span<double> hxx = scratch.AsSpan(h0 + 2 * mapSize, mapSize), hyy = scratch.AsSpan(h0 + 3 * mapSize, mapSize);
            Span<double> hxy = scratch.AsSpan(h0 + 4 * mapSize, mapSize);
            for (int r = 0; r < height; r++)
            {
                int rowIn = r * width, rowOut = r * ow;
                Horizontal(x.AsSpan(rowIn, width), hx.Slice(rowOut, ow), window);
                Horizontal(y.AsSpan(rowIn, width), hy.Slice(rowOut, ow), window);
                Horizontal(xx.Slice(rowIn, width), hxx.Slice(rowOut, ow), window);
                Horizontal(yy.Slice(rowIn, width), hyy.Slice(rowOut, ow), window);
                Horizontal(xy.Slice(rowIn, width), hxy.Slice(rowOut, ow), window);
            }

            int m0 = h0 + 5 * mapSize;
            Span<double> mx = scratch.AsSpan(m0, ow), my = scratch.AsSpan(m0 + ow, ow);
            Span<double> mxx = scratch.AsSpan(m0 + 2 * ow, ow), myy = scratch.AsSpan(m0 + 3 * ow, ow);
            Span<double> mxy = scratch.AsSpan(m0 + 4 * ow, ow);
            double ssimSum = 0, csSum = 0;
            for (int i = 0; i < oh; i++)
            {
                Vertical(hx, i, ow, mx, window);
                Vertical(hy, i, ow, my, window);
                Vertical(hxx, i, ow, mxx, window);
                Vertical(hyy, i, ow, myy, window);
                Vertical(hxy, i, ow, mxy, window);
                for (int j = 0; j < ow; j++)
                {
                    double ux = mx[j], uy = my[j];
                    double vx = mxx[j] - ux * ux, vy = myy[j] - uy * uy, vxy = mxy[j] - ux * uy;
                    double cs = (2 * vxy + c2) / (vx + vy + c2);
                    double luminance = (2 * ux * uy + c1) / (ux * ux + uy * uy + c1);
                    csSum += cs;
                    ssimSum += luminance * cs;
                }
            }

            double count = (double)ow * oh;
            return (ssimSum / count, csSum / count);
        }
        finally
        {
            ArrayPool<double>.Shared.Return(scratch);
        }
    }

    // output[j] = sum_t window[t] * row[j + t]
    private static void Horizontal(ReadOnlySpan<double> row, Span<double> output, double[] window)
    {
        TensorPrimitives.Multiply(row[..output.Length], window[0], output);
        for (int t = 1; t < window.Length; t++)
        {
            TensorPrimitives.MultiplyAdd(row.Slice(t, output.Length), window[t], output, output);
        }
    }

    // output[j] = sum_t window[t] * map[(i + t) * ow + j]
    private static void Vertical(ReadOnlySpan<double> map, int i, int ow, Span<double> output, double[] window)
    {
        TensorPrimitives.Multiply(map.Slice(i * ow, ow), window[0], output);
        for (int t = 1; t < window.Length; t++)
        {
            TensorPrimitives.MultiplyAdd(map.Slice((i + t) * ow, ow), window[t], output, output);
        }
    }
}
