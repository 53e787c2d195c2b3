namespace Meg.Imaging;

/// <summary>
/// Resampling in plain C#, so results are bit-identical on every machine (Skia's filters vary by version
/// and CPU path, which would make experiment outputs drift).
/// </summary>
internal static class Resampler
{
    public static byte[] Bilinear(byte[] src, int sw, int sh, int dw, int dh)
    {
        var (x0, x1, fx) = BilinearTaps(sw, dw);
        var (y0, y1, fy) = BilinearTaps(sh, dh);
        var dst = new byte[dw * dh * 3];
        for (int y = 0, o = 0; y < dh; y++)
        {
            int r0 = y0[y] * sw * 3, r1 = y1[y] * sw * 3;
            float wy = fy[y];
            for (int x = 0; x < dw; x++)
            {
                int c0 = x0[x] * 3, c1 = x1[x] * 3;
                float wx = fx[x];
                for (int c = 0; c < 3; c++, o++)
                {
                    float top = src[r0 + c0 + c] + (src[r0 + c1 + c] - src[r0 + c0 + c]) * wx;
                    float bottom = src[r1 + c0 + c] + (src[r1 + c1 + c] - src[r1 + c0 + c]) * wx;
                    dst[o] = RgbImage.ToByte((top + (bottom - top) * wy) / 255f);
                }
            }
        }

        return dst;
    }

    // Pixel centres at i + 0.5 in both grids; source coordinates clamped at the edges.
    private static (int[] Lo, int[] Hi, float[] Frac) BilinearTaps(int source, int target)
    {
        var lo = new int[target];
        var hi = new int[target];
        var frac = new float[target];
        double scale = (double)source / target;
        for (int i = 0; i < target; i++)
        {
            double s = Math.Clamp((i + 0.5) * scale - 0.5, 0, source - 1);
            int l = (int)Math.Floor(s);
            lo[i] = l;
            hi[i] = Math.Min(l + 1, source - 1);
            frac[i] = (float)(s - l);
        }

        return (lo, hi, frac);
    }

    public static byte[] Area(byte[] src, int sw, int sh, int dw, int dh)
    {
        var wx = AreaWeights(sw, dw);
        var wy = AreaWeights(sh, dh);

        // Separable: rows first into a float buffer, then columns.
        var rows = new float[sh * dw * 3];
        for (int y = 0; y < sh; y++)
        {
            for (int x = 0; x < dw; x++)
            {
                float r = 0, g = 0, b = 0;
                foreach (var (index, weight) in wx[x])
                {
                    int i = (y * sw + index) * 3;
                    r += src[i] * weight;
                    g += src[i + 1] * weight;
                    b += src[i + 2] * weight;
                }

                int o = (y * dw + x) * 3;
                rows[o] = r;
                rows[o + 1] = g;
                rows[o + 2] = b;
            }
        }

        var dst = new byte[dw * dh * 3];
        for (int y = 0; y < dh; y++)
        {
            for (int x = 0; x < dw * 3; x++)
            {
                float v = 0;
                foreach (var (index, weight) in wy[y])
                {
                    v += rows[index * dw * 3 + x] * weight;
                }

                dst[y * dw * 3 + x] = RgbImage.ToByte(v / 255f);
            }
        }

        return dst;
    }

    // For each output cell, the source cells it overlaps and the share of its width each covers (sums to 1).
    private static (int Index, float Weight)[][] AreaWeights(int source, int target)
    {
        var result = new (int, float)[target][];
        double scale = (double)source / target;
        for (int i = 0; i < target; i++)
        {
            double start = i * scale, end = (i + 1) * scale;
            var taps = new List<(int, float)>();
            for (int s = (int)Math.Floor(start); s < Math.Min(source, (int)Math.Ceiling(end)); s++)
            {
                double overlap = Math.Min(end, s + 1) - Math.Max(start, s);
                if (overlap > 1e-12)
                {
                    taps.Add((s, (float)(overlap / scale)));
                }
            }

            result[i] = taps.ToArray();
        }

        return result;
    }
}
