using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Meg.Channel.Randomness;

/// <summary>
/// Seeded standard normal noise for whole buffers, vectorized and parallel. Value <c>i</c> depends only on
/// the seed and on <c>i</c>: each chunk of <see cref="ChunkLength"/> values has its own derived seed, so the
/// output is identical bit for bit whatever the thread count, and <c>Fill</c> and
/// <c>ScaleAndAdd</c> draw the same values for the same seed.
/// </summary>
public static class GaussianNoise
{
    /// <summary>Values per independently seeded chunk.</summary>
    public const int ChunkLength = 1 << 16;

    /// <summary>Fills <paramref name="destination"/> with independent N(0, 1) values.</summary>
    public static void Fill(Span<float> destination, ulong seed) => Fill(destination, seed, maxThreads: null);

    /// <summary>
    /// Computes <c>output[i] = (input[i] * inputScale + noiseStdDev * g[i]) * outputScale</c> (the inner sum fused) with g the
    /// N(0, 1) sequence of <paramref name="seed"/>, in one pass (normalize, add noise, denormalize).
    /// <paramref name="input"/> and <paramref name="output"/> may be the same span.
    /// </summary>
    /// <returns>The energy of the added noise, the sum of (noiseStdDev * g[i])^2, before output scaling.</returns>
    public static double ScaleAndAdd(ReadOnlySpan<float> input, Span<float> output, float inputScale, float noiseStdDev,
        float outputScale, ulong seed) => ScaleAndAdd(input, output, inputScale, noiseStdDev, outputScale, seed, maxThreads: null);

    internal static unsafe void Fill(Span<float> destination, ulong seed, int? maxThreads, bool? wide = null)
    {
        bool useWide = wide ?? GaussianBatch.PreferWide;
        int length = destination.Length;
        fixed (float* pointer = destination)
        {
            nint address = (nint)pointer;
            ChunkedParallel.For(ChunkedParallel.ChunkCount(length, ChunkLength), chunk =>
            {
                int start = chunk * ChunkLength;
                var span = new Span<float>((float*)address + start, Math.Min(ChunkLength, length - start));
                ulong chunkSeed = SplitMix64.Derive(seed, (ulong)chunk);
                if (useWide)
                {
                    FillChunk(new GaussianBatch512(chunkSeed), span);
                }
                else
                {
                    FillChunk(new GaussianBatch256(chunkSeed), span);
                }
            }, maxThreads);
        }
    }

    internal static unsafe double ScaleAndAdd(ReadOnlySpan<float> input, Span<float> output, float inputScale,
        float noiseStdDev, float outputScale, ulong seed, int? maxThreads, bool? wide = null)
    {
        if (input.Length != output.Length)
        {
            throw new ArgumentException($"output has {output.Length} values but input has {input.Length}; they must match.", nameof(output));
        }

        bool useWide = wide ?? GaussianBatch.PreferWide;
        int length = input.Length;
        int chunks = ChunkedParallel.ChunkCount(length, ChunkLength);
        var energies = new double[chunks];
        fixed (float* inPointer = input)
        fixed (float* outPointer = output)
        {
            nint inAddress = (nint)inPointer;
            nint outAddress = (nint)outPointer;
            ChunkedParallel.For(chunks, chunk =>
            {
                int start = chunk * ChunkLength;
                int count = Math.Min(ChunkLength, length - start);
                var source = new ReadOnlySpan<float>((float*)inAddress + start, count);
                var target = new Span<float>((float*)outAddress + start, count);
                ulong chunkSeed = SplitMix64.Derive(seed, (ulong)chunk);
                double sumOfSquares = useWide
                    ? ScaleAndAddChunk(new GaussianBatch512(chunkSeed), source, target, inputScale, noiseStdDev, outputScale)
                    : ScaleAndAddChunk(new GaussianBatch256(chunkSeed), source, target, inputScale, noiseStdDev, outputScale);
                energies[chunk] = sumOfSquares * noiseStdDev * noiseStdDev;
            }, maxThreads);
        }

        // Summed in chunk order so the total does not depend on scheduling.
        double energy = 0;
        foreach (double part in energies)
        {
            energy += part;
        }

        return energy;
    }

    // The chunk kernels run a few times on large buffers: compile them optimized at once rather than tier up
    // (tier-0 vector code is many times slower, and a short run may never leave it).
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void FillChunk<TBatch>(TBatch generator, Span<float> destination)
        where TBatch : struct, IGaussianBatch
    {
        ref float target = ref MemoryMarshal.GetReference(destination);
        int i = 0;
        for (; i <= destination.Length - GaussianBatch.Size; i += GaussianBatch.Size)
        {
            generator.Next(ref Unsafe.Add(ref target, i));
        }

        if (i < destination.Length)
        {
            Span<float> batch = stackalloc float[GaussianBatch.Size];
            generator.Next(ref MemoryMarshal.GetReference(batch));
            batch[..(destination.Length - i)].CopyTo(destination[i..]);
        }
    }

    // Returns the sum of g^2 over the chunk (the unscaled noise energy). The noise goes through a small buffer
    // that stays in L1 cache, so one loop serves every generator width.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static double ScaleAndAddChunk<TBatch>(TBatch generator, ReadOnlySpan<float> input, Span<float> output,
        float inputScale, float noiseStdDev, float outputScale)
        where TBatch : struct, IGaussianBatch
    {
        ref float source = ref MemoryMarshal.GetReference(input);
        ref float target = ref MemoryMarshal.GetReference(output);
        Span<float> batch = stackalloc float[GaussianBatch.Size];
        ref float noise = ref MemoryMarshal.GetReference(batch);
        var a = Vector256.Create(inputScale);
        var sigma = Vector256.Create(noiseStdDev);
        var b = Vector256.Create(outputScale);
        Vector256<float> squares = Vector256<float>.Zero;
        int i = 0;
        for (; i <= input.Length - GaussianBatch.Size; i += GaussianBatch.Size)
        {
            generator.Next(ref noise);
            for (int k = 0; k < GaussianBatch.Size; k += Vector256<float>.Count)
            {
                Vector256<float> g = Vector256.LoadUnsafe(ref noise, (nuint)k);
                Vector256<float> x = Vector256.LoadUnsafe(ref source, (nuint)(i + k));
                (Vector256.FusedMultiplyAdd(g, sigma, x * a) * b).StoreUnsafe(ref target, (nuint)(i + k));
                squares += g * g;
            }
        }

        double energy = Vector256.Sum(squares);
        if (i < input.Length)
        {
            generator.Next(ref noise);
            for (int k = 0; i + k < input.Length; k++)
            {
                // Same operation order as the vector lanes, so the tail matches bit for bit.
                output[i + k] = MathF.FusedMultiplyAdd(batch[k], noiseStdDev, input[i + k] * inputScale) * outputScale;
                energy += batch[k] * batch[k];
            }
        }

        return energy;
    }
}
