namespace Meg.Channel.Digital;

/// <summary>Conversions between packed data and bit streams of one 0/1 per byte, most significant bit first.</summary>
public static class BitPacking
{
    /// <summary>Unpacks bytes into 8 bits each.</summary>
    public static void BytesToBits(ReadOnlySpan<byte> bytes, Span<byte> bits)
    {
        Require(bits.Length == 8L * bytes.Length, bits.Length, 8L * bytes.Length);
        for (int i = 0; i < bytes.Length; i++)
        {
            int value = bytes[i];
            for (int b = 0; b < 8; b++)
            {
                bits[8 * i + b] = (byte)((value >> (7 - b)) & 1);
            }
        }
    }

    /// <summary>Packs 8 bits into each byte.</summary>
    public static void BitsToBytes(ReadOnlySpan<byte> bits, Span<byte> bytes)
    {
        Require(bits.Length == 8L * bytes.Length, bits.Length, 8L * bytes.Length);
        for (int i = 0; i < bytes.Length; i++)
        {
            int value = 0;
            for (int b = 0; b < 8; b++)
            {
                value = (value << 1) | (bits[8 * i + b] & 1);
            }

            bytes[i] = (byte)value;
        }
    }

    /// <summary>Unpacks levels of <paramref name="bitsPerLevel"/> bits each.</summary>
    public static void LevelsToBits(ReadOnlySpan<ushort> levels, int bitsPerLevel, Span<byte> bits)
    {
        Require(bits.Length == (long)bitsPerLevel * levels.Length, bits.Length, (long)bitsPerLevel * levels.Length);
        for (int i = 0; i < levels.Length; i++)
        {
            int value = levels[i];
            for (int b = 0; b < bitsPerLevel; b++)
            {
                bits[bitsPerLevel * i + b] = (byte)((value >> (bitsPerLevel - 1 - b)) & 1);
            }
        }
    }

    /// <summary>Packs bits into levels of <paramref name="bitsPerLevel"/> bits each.</summary>
    public static void BitsToLevels(ReadOnlySpan<byte> bits, int bitsPerLevel, Span<ushort> levels)
    {
        Require(bits.Length == (long)bitsPerLevel * levels.Length, bits.Length, (long)bitsPerLevel * levels.Length);
        for (int i = 0; i < levels.Length; i++)
        {
            int value = 0;
            for (int b = 0; b < bitsPerLevel; b++)
            {
                value = (value << 1) | (bits[bitsPerLevel * i + b] & 1);
            }

            levels[i] = (ushort)value;
        }
    }

    private static void Require(bool ok, int actual, long expected)
    {
        if (!ok)
        {
            throw new ArgumentException($"The bit buffer must hold {expected} bits (got {actual}).");
        }
    }
}
