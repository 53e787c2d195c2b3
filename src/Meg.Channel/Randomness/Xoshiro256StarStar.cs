namespace Meg.Channel.Randomness;

/// <summary>
/// xoshiro256** (Blackman and Vigna 2018): a fast generator with 256 bits of state and excellent
/// statistical quality in all output bits. Seeded through <see cref="SplitMix64"/> as its authors advise.
/// </summary>
public struct Xoshiro256StarStar
{
    private ulong _s0, _s1, _s2, _s3;

    /// <summary>Creates a generator whose whole output is determined by <paramref name="seed"/>.</summary>
    public Xoshiro256StarStar(ulong seed)
    {
        var seeder = new SplitMix64(seed);
        _s0 = seeder.Next();
        _s1 = seeder.Next();
        _s2 = seeder.Next();
        _s3 = seeder.Next();
    }

    /// <summary>Returns the next 64 random bits.</summary>
    public ulong NextUInt64()
    {
        ulong result = ulong.RotateLeft(_s1 * 5, 7) * 9;
        ulong t = _s1 << 17;
        _s2 ^= _s0;
        _s3 ^= _s1;
        _s1 ^= _s2;
        _s0 ^= _s3;
        _s2 ^= t;
        _s3 = ulong.RotateLeft(_s3, 45);
        return result;
    }

    /// <summary>Returns a uniform double in [0, 1) with 53 random bits.</summary>
    public double NextDouble() => (NextUInt64() >> 11) * (1.0 / (1UL << 53));

    /// <summary>Fills <paramref name="bits"/> with independent fair bits, one bit (0 or 1) per byte.</summary>
    public void FillBits(Span<byte> bits)
    {
        int i = 0;
        while (i < bits.Length)
        {
            ulong word = NextUInt64();
            int take = Math.Min(64, bits.Length - i);
            for (int b = 0; b < take; b++)
            {
                bits[i + b] = (byte)((word >> b) & 1);
            }

            i += take;
        }
    }
}
