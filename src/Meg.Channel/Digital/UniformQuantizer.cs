namespace Meg.Channel.Digital;

/// <summary>
/// Uniform scalar quantization of floats to 8 or 16 bits over the payload's own [min, max]. The range travels as
/// side information: two float32 values, <see cref="SideInfoBits"/> bits, counted in the transfer's bits and channel
/// uses. The receiver is given the range exactly (a real system protects such a header strongly), so bit errors
/// hit only the payload levels. Reconstruction error is at most half a step, (max - min) / (2 (2^bits - 1)).
/// </summary>
public static class UniformQuantizer
{
    /// <summary>Bits of side information per quantized payload: min and max as float32.</summary>
    public const int SideInfoBits = 64;

    /// <summary>Quantizes <paramref name="values"/> into <paramref name="levels"/> (0 .. 2^bits - 1) and returns the range.</summary>
    /// <exception cref="ArgumentException">Bits other than 8 or 16, mismatched lengths, or a NaN/infinite value.</exception>
    public static QuantizationRange Quantize(ReadOnlySpan<float> values, int bits, Span<ushort> levels)
    {
        RequireBits(bits);
        RequireSameLength(values.Length, levels.Length);
        if (values.IsEmpty)
        {
            return new QuantizationRange(0, 0);
        }

        int bad = values.IndexOfAnyExceptInRange(float.MinValue, float.MaxValue);
        if (bad >= 0)
        {
            throw new ArgumentException($"The payload must hold finite numbers; found {values[bad]} at index {bad}.", nameof(values));
        }

        float min = values[0], max = values[0];
        foreach (float v in values)
        {
            min = Math.Min(min, v);
            max = Math.Max(max, v);
        }

        int top = (1 << bits) - 1;
        double range = (double)max - min;
        double scale = range > 0 ? top / range : 0;
        for (int i = 0; i < values.Length; i++)
        {
            levels[i] = (ushort)Math.Clamp((int)Math.Round((values[i] - (double)min) * scale), 0, top);
        }

        return new QuantizationRange(min, max);
    }

    /// <summary>Maps levels back to values: min + level (max - min) / (2^bits - 1).</summary>
    public static void Dequantize(ReadOnlySpan<ushort> levels, int bits, QuantizationRange range, Span<float> values)
    {
        RequireBits(bits);
        RequireSameLength(levels.Length, values.Length);
        double step = ((double)range.Max - range.Min) / ((1 << bits) - 1);
        for (int i = 0; i < levels.Length; i++)
        {
            values[i] = (float)(range.Min + levels[i] * step);
        }
    }

    private static void RequireBits(int bits)
    {
        if (bits is not (8 or 16))
        {
            throw new ArgumentException($"Quantization bits must be 8 or 16 (got {bits}).", nameof(bits));
        }
    }

    private static void RequireSameLength(int a, int b)
    {
        if (a != b)
        {
            throw new ArgumentException($"Values and levels must have the same length (got {a} and {b}).");
        }
    }
}
