using System.Runtime.CompilerServices;

namespace Meg.Channel.Digital;

/// <summary>
/// Gray-mapped BPSK and square QAM with unit average energy per complex symbol. Square QAM is two independent
/// Gray-coded PAM axes: the first half of a symbol's bits (most significant first) picks the real level, the
/// second half the imaginary level; BPSK uses the real axis only. Symbols are interleaved (re, im) floats.
/// </summary>
public sealed class Constellation
{
    private static readonly Constellation[] Cache =
        [new(Modulation.Bpsk), new(Modulation.Qpsk), new(Modulation.Qam16), new(Modulation.Qam64)];

    private readonly int _bitsPerAxis;
    private readonly int _axes;
    private readonly int _levels;
    private readonly float _spacing;        // distance from 0 to the innermost level
    private readonly float[] _amplitudeOfLabel; // Gray label -> amplitude
    private readonly int[] _labelOfIndex;     // level index (most negative first) -> Gray label

    private Constellation(Modulation modulation)
    {
        Modulation = modulation;
        BitsPerSymbol = BitsPer(modulation);
        _axes = modulation == Modulation.Bpsk ? 1 : 2;
        _bitsPerAxis = BitsPerSymbol / _axes;
        _levels = 1 << _bitsPerAxis;

        // PAM levels +-1, +-3, ... have average energy (L^2 - 1) / 3 per axis.
        double energyPerSymbol = _axes * ((double)_levels * _levels - 1) / 3;
        _spacing = (float)(1 / Math.Sqrt(energyPerSymbol));
        _amplitudeOfLabel = new float[_levels];
        _labelOfIndex = new int[_levels];
        for (int index = 0; index < _levels; index++)
        {
            int label = index ^ (index >> 1);
            _labelOfIndex[index] = label;
            _amplitudeOfLabel[label] = (2 * index - (_levels - 1)) * _spacing;
        }
    }

    /// <summary>The modulation this constellation implements.</summary>
    public Modulation Modulation { get; }

    /// <summary>Bits carried by one complex symbol.</summary>
    public int BitsPerSymbol { get; }

    /// <summary>The shared instance for <paramref name="modulation"/>.</summary>
    public static Constellation For(Modulation modulation) =>
        Enum.IsDefined(modulation)
            ? Cache[(int)modulation]
            : throw new ArgumentException($"Modulation must be one of {string.Join(", ", Enum.GetNames<Modulation>())}.", nameof(modulation));

    /// <summary>Bits per complex symbol: 1, 2, 4 or 6.</summary>
    public static int BitsPer(Modulation modulation) => modulation switch
    {
        Modulation.Bpsk => 1,
        Modulation.Qpsk => 2,
        Modulation.Qam16 => 4,
        Modulation.Qam64 => 6,
        _ => throw new ArgumentException($"Modulation must be one of {string.Join(", ", Enum.GetNames<Modulation>())}.", nameof(modulation)),
    };

    /// <summary>Maps bits (one 0/1 per byte, a multiple of <see cref="BitsPerSymbol"/>) to symbols (2 floats each).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Map(ReadOnlySpan<byte> bits, Span<float> symbols)
    {
        int count = RequireShapes(bits.Length, symbols.Length);
        for (int s = 0; s < count; s++)
        {
            ReadOnlySpan<byte> symbolBits = bits.Slice(s * BitsPerSymbol, BitsPerSymbol);
            symbols[2 * s] = _amplitudeOfLabel[Label(symbolBits[.._bitsPerAxis])];
            symbols[2 * s + 1] = _axes == 2 ? _amplitudeOfLabel[Label(symbolBits[_bitsPerAxis..])] : 0f;
        }
    }

    /// <summary>Nearest-symbol decisions: writes <see cref="BitsPerSymbol"/> bits per symbol.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void HardDemap(ReadOnlySpan<float> symbols, Span<byte> bits)
    {
        int count = RequireShapes(bits.Length, symbols.Length);
        for (int s = 0; s < count; s++)
        {
            Span<byte> symbolBits = bits.Slice(s * BitsPerSymbol, BitsPerSymbol);
            WriteLabel(_labelOfIndex[NearestIndex(symbols[2 * s])], symbolBits[.._bitsPerAxis]);
            if (_axes == 2)
            {
                WriteLabel(_labelOfIndex[NearestIndex(symbols[2 * s + 1])], symbolBits[_bitsPerAxis..]);
            }
        }
    }

    /// <summary>
    /// Max-log LLRs, log P(bit = 0) / P(bit = 1), for equalized symbols whose remaining noise is CN(0, 1 / reliability):
    /// LLR = reliability * (min over bit-1 points of |y - a|^2 - min over bit-0 points of |y - a|^2), per axis.
    /// <paramref name="reliability"/> is |h|^2 / N0 for a zero-forcing equalized symbol.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void SoftDemap(ReadOnlySpan<float> symbols, float reliability, Span<float> llrs)
    {
        int count = RequireShapes(llrs.Length, symbols.Length);
        Span<float> distances = stackalloc float[_levels];
        for (int s = 0; s < count; s++)
        {
            Span<float> symbolLlrs = llrs.Slice(s * BitsPerSymbol, BitsPerSymbol);
            AxisLlrs(symbols[2 * s], reliability, distances, symbolLlrs[.._bitsPerAxis]);
            if (_axes == 2)
            {
                AxisLlrs(symbols[2 * s + 1], reliability, distances, symbolLlrs[_bitsPerAxis..]);
            }
        }
    }

    private void AxisLlrs(float y, float reliability, Span<float> distances, Span<float> llrs)
    {
        for (int label = 0; label < _levels; label++)
        {
            float d = y - _amplitudeOfLabel[label];
            distances[label] = d * d;
        }

        for (int bit = 0; bit < llrs.Length; bit++)
        {
            int mask = 1 << (_bitsPerAxis - 1 - bit);
            float zero = float.MaxValue, one = float.MaxValue;
            for (int label = 0; label < _levels; label++)
            {
                if ((label & mask) == 0)
                {
                    zero = Math.Min(zero, distances[label]);
                }
                else
                {
                    one = Math.Min(one, distances[label]);
                }
            }

            llrs[bit] = reliability * (one - zero);
        }
    }

    private int NearestIndex(float y)
    {
        // Levels sit at (2 index - (L - 1)) * spacing; invert and round to the nearest index.
        float position = (y / _spacing + (_levels - 1)) * 0.5f;
        int index = (int)MathF.Round(position);
        return Math.Clamp(index, 0, _levels - 1);
    }

    private static int Label(ReadOnlySpan<byte> bits)
    {
        int label = 0;
        foreach (byte bit in bits)
        {
            label = (label << 1) | (bit & 1);
        }

        return label;
    }

    private static void WriteLabel(int label, Span<byte> bits)
    {
        for (int i = 0; i < bits.Length; i++)
        {
            bits[i] = (byte)((label >> (bits.Length - 1 - i)) & 1);
        }
    }

    private int RequireShapes(int bitCount, int floatCount)
    {
        if (bitCount % BitsPerSymbol != 0 || floatCount != 2 * (bitCount / BitsPerSymbol))
        {
            throw new ArgumentException(
                $"{Modulation} needs a multiple of {BitsPerSymbol} bits and 2 floats per symbol (got {bitCount} bits, {floatCount} floats).");
        }

        return bitCount / BitsPerSymbol;
    }
}
