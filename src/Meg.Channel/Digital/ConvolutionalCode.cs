using System.Numerics;

namespace Meg.Channel.Digital;

/// <summary>
/// The rate-1/2, constraint-length-7 convolutional code with generators 133 and 171 (octal), as in IEEE 802.11.
/// Each codeword starts in state 0 and is terminated by <see cref="TailBits"/> zero bits, so it also ends in state 0.
/// Long payloads are cut into codewords of at most <see cref="MaxInfoBitsPerCodeword"/> bits, like transport blocks,
/// which bounds decoder memory and lets codewords decode in parallel; each codeword pays its own tail.
/// </summary>
public static class ConvolutionalCode
{
    /// <summary>Constraint length K: the current bit plus six remembered bits.</summary>
    public const int ConstraintLength = 7;

    /// <summary>Zero bits appended to each codeword to return the encoder to state 0.</summary>
    public const int TailBits = ConstraintLength - 1;

    /// <summary>Number of encoder states, 2^(K-1).</summary>
    public const int States = 1 << TailBits;

    /// <summary>Information bits per codeword at most.</summary>
    public const int MaxInfoBitsPerCodeword = 8192;

    /// <summary>First generator, 133 octal; bit 6 taps the current input.</summary>
    public const int Generator0 = 0b1_011_011;

    /// <summary>Second generator, 171 octal; bit 6 taps the current input.</summary>
    public const int Generator1 = 0b1_111_001;

    /// <summary>Coded bits of one codeword of <paramref name="infoBits"/> bits: 2 (k + 6).</summary>
    public static int CodewordLength(int infoBits) => 2 * (infoBits + TailBits);

    /// <summary>Codewords needed for <paramref name="infoBits"/> bits.</summary>
    public static long CodewordCount(long infoBits) => (infoBits + MaxInfoBitsPerCodeword - 1) / MaxInfoBitsPerCodeword;

    /// <summary>Coded bits for a payload of <paramref name="infoBits"/> bits: 2 (k + 6 x codewords).</summary>
    public static long EncodedLength(long infoBits) => 2 * (infoBits + TailBits * CodewordCount(infoBits));

    /// <summary>
    /// Encodes one codeword: <paramref name="info"/> (one 0/1 per byte) into <see cref="CodewordLength"/> coded bits,
    /// two per input bit (generator 133 first), tail included.
    /// </summary>
    public static void EncodeCodeword(ReadOnlySpan<byte> info, Span<byte> coded)
    {
        if (coded.Length != CodewordLength(info.Length))
        {
            throw new ArgumentException($"coded must hold {CodewordLength(info.Length)} bits for {info.Length} info bits (got {coded.Length}).", nameof(coded));
        }

        int state = 0;
        for (int t = 0; t < info.Length + TailBits; t++)
        {
            int bit = t < info.Length ? info[t] & 1 : 0;
            int register = (bit << TailBits) | state;
            coded[2 * t] = (byte)(BitOperations.PopCount((uint)(register & Generator0)) & 1);
            coded[2 * t + 1] = (byte)(BitOperations.PopCount((uint)(register & Generator1)) & 1);
            state = register >> 1;
        }
    }

    /// <summary>Encodes a payload of any length as consecutive codewords; <paramref name="coded"/> holds <see cref="EncodedLength"/> bits.</summary>
    public static void Encode(ReadOnlySpan<byte> info, Span<byte> coded)
    {
        if (coded.Length != EncodedLength(info.Length))
        {
            throw new ArgumentException($"coded must hold {EncodedLength(info.Length)} bits for {info.Length} info bits (got {coded.Length}).", nameof(coded));
        }

        int written = 0;
        for (int start = 0; start < info.Length; start += MaxInfoBitsPerCodeword)
        {
            ReadOnlySpan<byte> block = info.Slice(start, Math.Min(MaxInfoBitsPerCodeword, info.Length - start));
            int length = CodewordLength(block.Length);
            EncodeCodeword(block, coded.Slice(written, length));
            written += length;
        }
    }
}
