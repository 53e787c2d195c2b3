using Meg.Channel.Ber;

namespace Meg.Channel.Tests;

public class BerTheoryTests
{
    [Theory]
    [InlineData(0.0, 1.0)]
    [InlineData(0.5, 0.4795001221869535)]
    [InlineData(1.0, 0.15729920705028513)]
    [InlineData(2.0, 0.004677734981047266)]
    [InlineData(3.0, 2.209049699858544e-05)]
    [InlineData(5.0, 1.5374597944280349e-12)]
    [InlineData(-1.0, 1.8427007929497148)]
    public void Erfc_is_accurate_to_about_1e_minus_7_relative(double x, double expected)
    {
        Assert.Equal(expected, SpecialFunctions.Erfc(x), expected * 2e-7);
    }

    [Fact]
    public void Q_of_3_is_the_three_sigma_tail()
    {
        Assert.Equal(1.3498980316301e-3, SpecialFunctions.Q(3), 1e-10);
    }

    [Fact]
    public void Bpsk_and_qpsk_share_the_awgn_curve()
    {
        double ebN0Db = 6;
        double expected = SpecialFunctions.Q(Math.Sqrt(2 * Math.Pow(10, 0.6)));

        Assert.Equal(expected, BerTheory.Awgn(Modulation.Bpsk, ebN0Db), 1e-12);
        Assert.Equal(expected, BerTheory.Awgn(Modulation.Qpsk, ebN0Db), 1e-12);
    }

    [Fact]
    public void Qam16_matches_the_textbook_gray_expression()
    {
        double ebN0 = Math.Pow(10, 1.0);
        double d = Math.Sqrt(0.8 * ebN0);
        double expected = 0.25 * (3 * SpecialFunctions.Q(d) + 2 * SpecialFunctions.Q(3 * d) - SpecialFunctions.Q(5 * d));

        Assert.Equal(expected, BerTheory.Awgn(Modulation.Qam16, 10), 1e-12);
    }

    [Fact]
    public void Qam64_is_close_to_the_first_term_approximation_at_high_snr()
    {
        double ebN0 = Math.Pow(10, 1.6);
        double approximation = 4.0 / 6 * (1 - 1 / 8.0) * SpecialFunctions.Q(Math.Sqrt(3 * 6 * ebN0 / 63));

        Assert.Equal(approximation, BerTheory.Awgn(Modulation.Qam64, 16), approximation * 0.02);
    }

    [Fact]
    public void Rayleigh_bpsk_is_half_one_minus_root_g_over_one_plus_g()
    {
        double g = Math.Pow(10, 1.5);

        Assert.Equal(0.5 * (1 - Math.Sqrt(g / (1 + g))), BerTheory.Rayleigh(Modulation.Bpsk, 15), 1e-12);
    }

    [Fact]
    public void No_closed_form_for_coded_links_is_nan()
    {
        Assert.True(double.IsNaN(BerTheory.For(Modulation.Qpsk, FadingModel.None, coded: true, 4)));
        Assert.True(double.IsNaN(BerTheory.For(Modulation.Qpsk, FadingModel.Rician, coded: false, 4)));
    }
}
