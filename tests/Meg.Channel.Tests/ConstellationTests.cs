using Meg.Channel.Digital;

namespace Meg.Channel.Tests;

public class ConstellationTests
{
    public static TheoryData<Modulation> Modulations => new() { Modulation.Bpsk, Modulation.Qpsk, Modulation.Qam16, Modulation.Qam64 };

    [Theory]
    [MemberData(nameof(Modulations))]
    public void Every_constellation_has_unit_average_energy(Modulation modulation)
    {
        (byte[] bits, float[] symbols) = AllSymbols(modulation);

        double energy = 0;
        for (int i = 0; i < symbols.Length; i += 2)
        {
            energy += symbols[i] * symbols[i] + symbols[i + 1] * symbols[i + 1];
        }

        Assert.Equal(1.0, energy / (symbols.Length / 2), 1e-6);
        Assert.Equal(symbols.Length / 2, bits.Length / Constellation.BitsPer(modulation));
    }

    [Theory]
    [MemberData(nameof(Modulations))]
    public void Hard_demapping_inverts_mapping(Modulation modulation)
    {
        (byte[] bits, float[] symbols) = AllSymbols(modulation);
        var decided = new byte[bits.Length];

        Constellation.For(modulation).HardDemap(symbols, decided);

        Assert.Equal(bits, decided);
    }

    [Theory]
    [MemberData(nameof(Modulations))]
    public void Neighbouring_levels_differ_in_one_bit(Modulation modulation)
    {
        Constellation constellation = Constellation.For(modulation);
        (byte[] bits, float[] symbols) = AllSymbols(modulation);
        int k = constellation.BitsPerSymbol;
        float spacing = float.MaxValue;
        for (int a = 0; a < symbols.Length / 2; a++)
        {
            for (int b = a + 1; b < symbols.Length / 2; b++)
            {
                spacing = Math.Min(spacing, Distance(symbols, a, b));
            }
        }

        for (int a = 0; a < symbols.Length / 2; a++)
        {
            for (int b = a + 1; b < symbols.Length / 2; b++)
            {
                if (Distance(symbols, a, b) < spacing * 1.01f)
                {
                    int differing = Enumerable.Range(0, k).Count(i => bits[a * k + i] != bits[b * k + i]);
                    Assert.Equal(1, differing);
                }
            }
        }
    }

    [Theory]
    [MemberData(nameof(Modulations))]
    public void Soft_llr_signs_agree_with_hard_decisions(Modulation modulation)
    {
        Constellation constellation = Constellation.For(modulation);
        (byte[] bits, float[] symbols) = AllSymbols(modulation);
        var noisy = symbols.Select((s, i) => s + 0.03f * MathF.Sin(i * 1.7f)).ToArray();
        var llrs = new float[bits.Length];
        var hard = new byte[bits.Length];

        constellation.SoftDemap(noisy, reliability: 10f, llrs);
        constellation.HardDemap(noisy, hard);

        for (int i = 0; i < bits.Length; i++)
        {
            Assert.Equal(hard[i] == 0, llrs[i] > 0);
        }
    }

    [Fact]
    public void Llrs_scale_with_reliability()
    {
        Constellation qpsk = Constellation.For(Modulation.Qpsk);
        float[] symbol = [0.3f, -0.2f];
        var weak = new float[2];
        var strong = new float[2];

        qpsk.SoftDemap(symbol, 1f, weak);
        qpsk.SoftDemap(symbol, 4f, strong);

        Assert.Equal(4 * weak[0], strong[0], 1e-5f);
        Assert.Equal(4 * weak[1], strong[1], 1e-5f);
    }

    private static (byte[] Bits, float[] Symbols) AllSymbols(Modulation modulation)
    {
        Constellation constellation = Constellation.For(modulation);
        int k = constellation.BitsPerSymbol;
        int count = 1 << k;
        var bits = new byte[count * k];
        for (int s = 0; s < count; s++)
        {
            for (int i = 0; i < k; i++)
            {
                bits[s * k + i] = (byte)((s >> (k - 1 - i)) & 1);
            }
        }

        var symbols = new float[2 * count];
        constellation.Map(bits, symbols);
        return (bits, symbols);
    }

    private static float Distance(float[] symbols, int a, int b) =>
        MathF.Sqrt(MathF.Pow(symbols[2 * a] - symbols[2 * b], 2) + MathF.Pow(symbols[2 * a + 1] - symbols[2 * b + 1], 2));
}
