using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using Meg.Channel.Randomness;

namespace Meg.Channel.Digital;

/// <summary>
/// Maximum-likelihood decoding of <see cref="ConvolutionalCode"/> from LLRs (positive means bit 0). Soft LLRs give
/// soft-decision decoding; LLRs of +-1 give hard-decision (Hamming distance) decoding.
/// </summary>
public static class ViterbiDecoder
{
    // Butterfly j joins predecessors 2j and 2j+1 to next states j and j+32. Both generators tap the newest and the
    // oldest bit, so the four branches of a butterfly expect (c0, c1), its complement, its complement, and itself:
    // one branch metric m_j = s0_j L0 + s1_j L1 serves all four as +-m_j. s0, s1 are the signs for (input 0, even).
    private static readonly float[] Sign0 = BuildSigns(ConvolutionalCode.Generator0);
    private static readonly float[] Sign1 = BuildSigns(ConvolutionalCode.Generator1);

    /// <summary>
    /// Decodes one terminated codeword: <paramref name="llrs"/> holds <see cref="ConvolutionalCode.CodewordLength"/>
    /// values for <paramref name="info"/>.Length information bits.
    /// </summary>
    public static void DecodeCodeword(ReadOnlySpan<float> llrs, Span<byte> info)
    {
        int steps = info.Length + ConvolutionalCode.TailBits;
        if (llrs.Length != 2 * steps)
        {
            throw new ArgumentException($"llrs must hold {2 * steps} values for {info.Length} info bits (got {llrs.Length}).", nameof(llrs));
        }

        // One bit per state per step: whether the odd predecessor survived.
        ulong[] decisions = System.Buffers.ArrayPool<ulong>.Shared.Rent(steps);
        try
        {
            ForwardPass(llrs, decisions.AsSpan(0, steps));

            // Terminated: the best path ends in state 0. Walk back through the survivors.
            const int half = ConvolutionalCode.States / 2;
            int current = 0;
            for (int t = steps - 1; t >= 0; t--)
            {
                int chosen = (int)((decisions[t] >> current) & 1);
                if (t < info.Length)
                {
                    info[t] = (byte)(current >> (ConvolutionalCode.TailBits - 1));
                }

                current = ((current & (half - 1)) << 1) | chosen;
            }
        }
        finally
        {
            System.Buffers.ArrayPool<ulong>.Shared.Return(decisions);
        }
    }

    // Add-compare-select over all 64 states, eight at a time. Metrics are held split by predecessor parity:
    // even[j] = metric of state 2j, odd[j] = metric of state 2j + 1, as four vectors each.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void ForwardPass(ReadOnlySpan<float> llrs, Span<ulong> decisions)
    {
        const float unreachable = -1e30f;
        Vector256<float> s00 = Vector256.Create(Sign0, 0), s01 = Vector256.Create(Sign0, 8);
        Vector256<float> s02 = Vector256.Create(Sign0, 16), s03 = Vector256.Create(Sign0, 24);
        Vector256<float> s10 = Vector256.Create(Sign1, 0), s11 = Vector256.Create(Sign1, 8);
        Vector256<float> s12 = Vector256.Create(Sign1, 16), s13 = Vector256.Create(Sign1, 24);

        Vector256<float> even0 = Vector256.Create(unreachable).WithElement(0, 0f);
        Vector256<float> even1 = Vector256.Create(unreachable), even2 = even1, even3 = even1;
        Vector256<float> odd0 = even1, odd1 = even1, odd2 = even1, odd3 = even1;

        for (int t = 0; t < decisions.Length; t++)
        {
            var l0 = Vector256.Create(llrs[2 * t]);
            var l1 = Vector256.Create(llrs[2 * t + 1]);
            ulong survivors = 0;

            (Vector256<float> low0, Vector256<float> high0) = Butterflies(even0, odd0, s00 * l0 + s10 * l1, ref survivors, 0);
            (Vector256<float> low1, Vector256<float> high1) = Butterflies(even1, odd1, s01 * l0 + s11 * l1, ref survivors, 8);
            (Vector256<float> low2, Vector256<float> high2) = Butterflies(even2, odd2, s02 * l0 + s12 * l1, ref survivors, 16);
            (Vector256<float> low3, Vector256<float> high3) = Butterflies(even3, odd3, s03 * l0 + s13 * l1, ref survivors, 24);
            decisions[t] = survivors;

            // New states 0..31 are low0..low3, 32..63 are high0..high3; split them by parity for the next step.
            (even0, odd0) = SplitParity(low0, low1);
            (even1, odd1) = SplitParity(low2, low3);
            (even2, odd2) = SplitParity(high0, high1);
            (even3, odd3) = SplitParity(high2, high3);

            // Keep metrics near zero so float precision does not erode on long codewords.
            if ((t & 63) == 63)
            {
                var reference = Vector256.Create(even0.ToScalar());
                even0 -= reference; even1 -= reference; even2 -= reference; even3 -= reference;
                odd0 -= reference; odd1 -= reference; odd2 -= reference; odd3 -= reference;
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static (Vector256<float> Low, Vector256<float> High) Butterflies(Vector256<float> even, Vector256<float> odd,
        Vector256<float> metric, ref ulong survivors, int first)
    {
        // Next state j (input 0): even + m or odd - m. Next state j + 32 (input 1): even - m or odd + m.
        Vector256<float> lowFromEven = even + metric, lowFromOdd = odd - metric;
        Vector256<float> highFromEven = even - metric, highFromOdd = odd + metric;
        Vector256<float> lowOdd = Vector256.GreaterThan(lowFromOdd, lowFromEven);
        Vector256<float> highOdd = Vector256.GreaterThan(highFromOdd, highFromEven);
        survivors |= (ulong)lowOdd.ExtractMostSignificantBits() << first;
        survivors |= (ulong)highOdd.ExtractMostSignificantBits() << (first + 32);
        return (Vector256.ConditionalSelect(lowOdd, lowFromOdd, lowFromEven), Vector256.ConditionalSelect(highOdd, highFromOdd, highFromEven));
    }

    // (a, b) hold 16 consecutive states; returns their even-indexed and odd-indexed ones.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static (Vector256<float> Even, Vector256<float> Odd) SplitParity(Vector256<float> a, Vector256<float> b)
    {
        Vector256<int> order = Vector256.Create(0, 2, 4, 6, 1, 3, 5, 7);
        Vector256<float> x = Vector256.Shuffle(a, order);
        Vector256<float> y = Vector256.Shuffle(b, order);
        return (Vector256.Create(x.GetLower(), y.GetLower()), Vector256.Create(x.GetUpper(), y.GetUpper()));
    }

    /// <summary>
    /// Decodes a payload encoded by <see cref="ConvolutionalCode.Encode"/>: codewords are split the same way and
    /// decoded in parallel (each is independent, so the result does not depend on the thread count).
    /// </summary>
    public static unsafe void Decode(ReadOnlySpan<float> llrs, Span<byte> info)
    {
        if (llrs.Length != ConvolutionalCode.EncodedLength(info.Length))
        {
            throw new ArgumentException(
                $"llrs must hold {ConvolutionalCode.EncodedLength(info.Length)} values for {info.Length} info bits (got {llrs.Length}).", nameof(llrs));
        }

        int length = info.Length;
        int codewords = (int)ConvolutionalCode.CodewordCount(length);
        fixed (float* llrPointer = llrs)
        fixed (byte* pointer = info)
        {
            nint llrAddress = (nint)llrPointer;
            nint address = (nint)pointer;
            ChunkedParallel.For(codewords, codeword =>
            {
                int start = codeword * ConvolutionalCode.MaxInfoBitsPerCodeword;
                int count = Math.Min(ConvolutionalCode.MaxInfoBitsPerCodeword, length - start);
                int llrStart = 2 * (start + codeword * ConvolutionalCode.TailBits);
                var codewordLlrs = new ReadOnlySpan<float>((float*)llrAddress + llrStart, ConvolutionalCode.CodewordLength(count));
                DecodeCodeword(codewordLlrs, new Span<byte>((byte*)address + start, count));
            });
        }
    }

    // Sign of coded bit for the branch from state 2j with input 0: +1 when the bit is 0, -1 when it is 1.
    private static float[] BuildSigns(int generator)
    {
        var signs = new float[ConvolutionalCode.States / 2];
        for (int j = 0; j < signs.Length; j++)
        {
            int register = 2 * j;
            signs[j] = (BitOperations.PopCount((uint)(register & generator)) & 1) == 0 ? 1f : -1f;
        }

        return signs;
    }
}
