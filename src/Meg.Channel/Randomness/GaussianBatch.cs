using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Meg.Channel.Randomness;

/// <summary>
/// The layout shared by the Gaussian generators. Sixteen xoshiro256+ streams run side by side: lanes 0-7 give the
/// radii, lanes 8-15 the angles of sixteen Box-Muller pairs (one uniform per 32-bit half of each 64-bit output).
/// Batch value k is r_k cos(theta_k) and value 16 + k is r_k sin(theta_k). xoshiro256+ has weak lowest bits, but
/// every uniform comes from bits 8 and up of a 32-bit word, which is why its authors recommend it for
/// floating-point output.
/// </summary>
internal static class GaussianBatch
{
    /// <summary>Values per call.</summary>
    public const int Size = 32;

    /// <summary>Parallel generator streams.</summary>
    public const int Lanes = 16;

    /// <summary>Initial state word <c>word</c> (0..3) of every lane, drawn from SplitMix64 as xoshiro's authors advise.</summary>
    public static ulong[] SeedLanes(ulong seed)
    {
        var seeder = new SplitMix64(seed);
        var words = new ulong[4 * Lanes];
        for (int i = 0; i < words.Length; i++)
        {
            words[i] = seeder.Next();
        }

        return words;
    }

    /// <summary>Whether to run the 512-bit generator; both widths give the same values, so this only affects speed.</summary>
    public static bool PreferWide => Vector512.IsHardwareAccelerated;
}

/// <summary>The generator on 256-bit vectors (AVX2), four lanes per state vector.</summary>
internal struct GaussianBatch256 : IGaussianBatch
{
    // r = radius lanes 0-3 and 4-7, a = angle lanes 8-11 and 12-15; digits are xoshiro state words.
    private Vector256<ulong> _r0Low, _r1Low, _r2Low, _r3Low, _r0High, _r1High, _r2High, _r3High;
    private Vector256<ulong> _a0Low, _a1Low, _a2Low, _a3Low, _a0High, _a1High, _a2High, _a3High;

    public GaussianBatch256(ulong seed)
    {
        ulong[] w = GaussianBatch.SeedLanes(seed);
        _r0Low = Vector256.Create(w, 0); _r0High = Vector256.Create(w, 4); _a0Low = Vector256.Create(w, 8); _a0High = Vector256.Create(w, 12);
        _r1Low = Vector256.Create(w, 16); _r1High = Vector256.Create(w, 20); _a1Low = Vector256.Create(w, 24); _a1High = Vector256.Create(w, 28);
        _r2Low = Vector256.Create(w, 32); _r2High = Vector256.Create(w, 36); _a2Low = Vector256.Create(w, 40); _a2High = Vector256.Create(w, 44);
        _r3Low = Vector256.Create(w, 48); _r3High = Vector256.Create(w, 52); _a3Low = Vector256.Create(w, 56); _a3High = Vector256.Create(w, 60);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Next(ref float destination)
    {
        Vector256<uint> radiusLow = Step(ref _r0Low, ref _r1Low, ref _r2Low, ref _r3Low).AsUInt32();
        Vector256<uint> angleLow = Step(ref _a0Low, ref _a1Low, ref _a2Low, ref _a3Low).AsUInt32();
        Transform(radiusLow, angleLow, out Vector256<float> cosLow, out Vector256<float> sinLow);
        Vector256<uint> radiusHigh = Step(ref _r0High, ref _r1High, ref _r2High, ref _r3High).AsUInt32();
        Vector256<uint> angleHigh = Step(ref _a0High, ref _a1High, ref _a2High, ref _a3High).AsUInt32();
        Transform(radiusHigh, angleHigh, out Vector256<float> cosHigh, out Vector256<float> sinHigh);
        cosLow.StoreUnsafe(ref destination);
        cosHigh.StoreUnsafe(ref destination, 8);
        sinLow.StoreUnsafe(ref destination, 16);
        sinHigh.StoreUnsafe(ref destination, 24);
    }

    // Box-Muller on eight pairs of 32-bit words.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Transform(Vector256<uint> radiusBits, Vector256<uint> angleBits, out Vector256<float> cos, out Vector256<float> sin)
    {
        // u in (0, 1): an odd 24-bit integer over 2^24, exact in float and never 0, so log(u) is finite
        // (|x| reaches 5.77, beyond any tail a BER test can resolve).
        Vector256<float> u = Vector256.ConvertToSingle(((radiusBits >> 8) | Vector256<uint>.One).AsInt32()) * Vector256.Create(1f / 16777216f);
        Vector256<float> radius = Vector256.Sqrt(VectorMath.Log(u) * Vector256.Create(-2f));

        // Angle = quadrant * pi/2 + x with x uniform in (-pi/4, pi/4): the top two bits pick the quadrant.
        Vector256<uint> quadrant = angleBits >> 30;
        Vector256<int> offset = ((((angleBits >> 8) & Vector256.Create(0x3FFFFFu)) << 1) | Vector256<uint>.One).AsInt32()
            - Vector256.Create(1 << 22);
        Vector256<float> x = Vector256.ConvertToSingle(offset) * Vector256.Create((float)(Math.PI / 2 / (1 << 23)));
        (Vector256<float> sinX, Vector256<float> cosX) = VectorMath.SinCosQuarter(x);

        // Rotate by the quadrant: odd quadrants swap sine and cosine, and the signs follow the quadrant.
        Vector256<float> swap = Vector256.Equals(quadrant & Vector256<uint>.One, Vector256<uint>.One).AsSingle();
        Vector256<uint> cosSign = ((quadrant + Vector256<uint>.One) & Vector256.Create(2u)) << 30;
        Vector256<uint> sinSign = (quadrant & Vector256.Create(2u)) << 30;
        cos = radius * (Vector256.ConditionalSelect(swap, sinX, cosX).AsUInt32() ^ cosSign).AsSingle();
        sin = radius * (Vector256.ConditionalSelect(swap, cosX, sinX).AsUInt32() ^ sinSign).AsSingle();
    }

    // One xoshiro256+ step in four lanes.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<ulong> Step(ref Vector256<ulong> s0, ref Vector256<ulong> s1, ref Vector256<ulong> s2, ref Vector256<ulong> s3)
    {
        Vector256<ulong> result = s0 + s3;
        Vector256<ulong> t = s1 << 17;
        s2 ^= s0;
        s3 ^= s1;
        s1 ^= s2;
        s0 ^= s3;
        s2 ^= t;
        s3 = (s3 << 45) | (s3 >> 19);
        return result;
    }
}

/// <summary>The generator on 512-bit vectors (AVX-512), eight lanes per state vector; same values as <see cref="GaussianBatch256"/>.</summary>
internal struct GaussianBatch512 : IGaussianBatch
{
    private Vector512<ulong> _r0, _r1, _r2, _r3, _a0, _a1, _a2, _a3;

    public GaussianBatch512(ulong seed)
    {
        ulong[] w = GaussianBatch.SeedLanes(seed);
        _r0 = Vector512.Create(w, 0); _a0 = Vector512.Create(w, 8);
        _r1 = Vector512.Create(w, 16); _a1 = Vector512.Create(w, 24);
        _r2 = Vector512.Create(w, 32); _a2 = Vector512.Create(w, 40);
        _r3 = Vector512.Create(w, 48); _a3 = Vector512.Create(w, 56);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Next(ref float destination)
    {
        Vector512<uint> radiusBits = Step(ref _r0, ref _r1, ref _r2, ref _r3).AsUInt32();
        Vector512<uint> angleBits = Step(ref _a0, ref _a1, ref _a2, ref _a3).AsUInt32();

        Vector512<float> u = Vector512.ConvertToSingle(((radiusBits >> 8) | Vector512<uint>.One).AsInt32()) * Vector512.Create(1f / 16777216f);
        Vector512<float> radius = Vector512.Sqrt(VectorMath.Log(u) * Vector512.Create(-2f));

        Vector512<uint> quadrant = angleBits >> 30;
        Vector512<int> offset = ((((angleBits >> 8) & Vector512.Create(0x3FFFFFu)) << 1) | Vector512<uint>.One).AsInt32()
            - Vector512.Create(1 << 22);
        Vector512<float> x = Vector512.ConvertToSingle(offset) * Vector512.Create((float)(Math.PI / 2 / (1 << 23)));
        (Vector512<float> sinX, Vector512<float> cosX) = VectorMath.SinCosQuarter(x);

        Vector512<float> swap = Vector512.Equals(quadrant & Vector512<uint>.One, Vector512<uint>.One).AsSingle();
        Vector512<uint> cosSign = ((quadrant + Vector512<uint>.One) & Vector512.Create(2u)) << 30;
        Vector512<uint> sinSign = (quadrant & Vector512.Create(2u)) << 30;
        (radius * (Vector512.ConditionalSelect(swap, sinX, cosX).AsUInt32() ^ cosSign).AsSingle()).StoreUnsafe(ref destination);
        (radius * (Vector512.ConditionalSelect(swap, cosX, sinX).AsUInt32() ^ sinSign).AsSingle()).StoreUnsafe(ref destination, 16);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<ulong> Step(ref Vector512<ulong> s0, ref Vector512<ulong> s1, ref Vector512<ulong> s2, ref Vector512<ulong> s3)
    {
        Vector512<ulong> result = s0 + s3;
        Vector512<ulong> t = s1 << 17;
        s2 ^= s0;
        s3 ^= s1;
        s1 ^= s2;
        s0 ^= s3;
        s2 ^= t;
        s3 = (s3 << 45) | (s3 >> 19);
        return result;
    }
}
