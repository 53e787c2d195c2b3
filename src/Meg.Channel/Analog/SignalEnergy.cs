using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using Meg.Channel.Randomness;

namespace Meg.Channel.Analog;

/// <summary>Sum of squares of a float buffer, parallel but independent of the thread count.</summary>
internal static class SignalEnergy
{
    private const int ChunkLength = 1 << 16;

    /// <summary>Returns the sum of squares; throws if a value is NaN or infinite, because it would poison normalization.</summary>
    public static unsafe double SumOfSquares(ReadOnlySpan<float> values, string parameterName)
    {
        int length = values.Length;
        int chunks = ChunkedParallel.ChunkCount(length, ChunkLength);
        var partials = new double[chunks];
        fixed (float* pointer = values)
        {
            nint address = (nint)pointer;
            ChunkedParallel.For(chunks, chunk =>
            {
                int start = chunk * ChunkLength;
                partials[chunk] = ChunkSumOfSquares(new ReadOnlySpan<float>((float*)address + start, Math.Min(ChunkLength, length - start)));
            });
        }

        double total = 0;
        foreach (double part in partials)
        {
            total += part;
        }

        if (!double.IsFinite(total))
        {
            int bad = values.IndexOfAnyExceptInRange(float.MinValue, float.MaxValue);
            string where = bad >= 0 ? $"value {values[bad]} at index {bad}" : "values too large to square in double precision";
            throw new ArgumentException($"The payload must hold finite numbers; found {where}.", parameterName);
        }

        return total;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    // Four float accumulators per chunk keep the loads flowing (this pass is memory-bound); each lane sums at most
    // 2048 squares, so float rounding stays near 1e-6 relative, and chunks are then added in double.
    private static double ChunkSumOfSquares(ReadOnlySpan<float> values)
    {
        ref float start = ref MemoryMarshal.GetReference(values);
        Vector256<float> a = Vector256<float>.Zero, b = a, c = a, d = a;
        int i = 0;
        for (; i <= values.Length - 32; i += 32)
        {
            Vector256<float> x0 = Vector256.LoadUnsafe(ref start, (nuint)i);
            Vector256<float> x1 = Vector256.LoadUnsafe(ref start, (nuint)(i + 8));
            Vector256<float> x2 = Vector256.LoadUnsafe(ref start, (nuint)(i + 16));
            Vector256<float> x3 = Vector256.LoadUnsafe(ref start, (nuint)(i + 24));
            a = Vector256.FusedMultiplyAdd(x0, x0, a);
            b = Vector256.FusedMultiplyAdd(x1, x1, b);
            c = Vector256.FusedMultiplyAdd(x2, x2, c);
            d = Vector256.FusedMultiplyAdd(x3, x3, d);
        }

        double sum = (double)Vector256.Sum(a) + Vector256.Sum(b) + Vector256.Sum(c) + Vector256.Sum(d);
        for (; i < values.Length; i++)
        {
            sum += (double)values[i] * values[i];
        }

        return sum;
    }
}
