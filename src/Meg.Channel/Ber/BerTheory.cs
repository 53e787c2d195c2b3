namespace Meg.Channel.Ber;

/// <summary>
/// Closed-form bit error rates of the uncoded Gray-mapped constellations, as functions of Eb/N0 per bit.
/// Square M-QAM uses the exact expression of Cho and Yoon (IEEE Trans. Commun. 2002), a weighted sum of
/// Q((2i + 1) sqrt(3 log2(M) Eb/N0 / (M - 1))) terms; BPSK and QPSK reduce to Q(sqrt(2 Eb/N0)).
/// Rayleigh fading (perfect CSI) averages each Q term over the exponential SNR, giving 0.5 (1 - sqrt(g / (1 + g)))
/// for BPSK; the average does not depend on the fading block length.
/// </summary>
public static class BerTheory
{
    /// <summary>BER on AWGN at <paramref name="ebN0Db"/> (Eb/N0 in dB).</summary>
    public static double Awgn(Modulation modulation, double ebN0Db)
    {
        double ebN0 = FromDb(ebN0Db);
        return Combine(modulation, (weight, argumentSquaredPerEbN0) => weight * SpecialFunctions.Q(Math.Sqrt(argumentSquaredPerEbN0 * ebN0)));
    }

    /// <summary>BER on block Rayleigh fading with perfect CSI at average Eb/N0 <paramref name="ebN0Db"/>.</summary>
    public static double Rayleigh(Modulation modulation, double ebN0Db)
    {
        double ebN0 = FromDb(ebN0Db);

        // E[Q(sqrt(c g))] over exponential g with mean G is 0.5 (1 - sqrt(c G / (2 + c G))).
        return Combine(modulation, (weight, c) => weight * 0.5 * (1 - Math.Sqrt(c * ebN0 / (2 + c * ebN0))));
    }

    /// <summary>The closed form matching a simulation, or NaN where none is implemented (coded links, Rician fading).</summary>
    public static double For(Modulation modulation, FadingModel fading, bool coded, double ebN0Db) => (coded, fading) switch
    {
        (false, FadingModel.None) => Awgn(modulation, ebN0Db),
        (false, FadingModel.Rayleigh) => Rayleigh(modulation, ebN0Db),
        _ => double.NaN,
    };

    // Sums weight x E[Q(sqrt(c x Eb/N0))] over the Cho-Yoon terms; term(weight, c) evaluates one of them.
    private static double Combine(Modulation modulation, Func<double, double, double> term)
    {
        if (modulation == Modulation.Bpsk)
        {
            return term(1, 2);
        }

        int bitsPerSymbol = Digital.Constellation.BitsPer(modulation);
        int levels = 1 << (bitsPerSymbol / 2); // per axis, sqrt(M)
        int bitsPerAxis = bitsPerSymbol / 2;
        double m = 1 << bitsPerSymbol;
        double c = 3.0 * bitsPerSymbol / (m - 1);

        double total = 0;
        for (int k = 1; k <= bitsPerAxis; k++)
        {
            int half = 1 << (k - 1);
            int terms = (int)((1 - Math.Pow(2, -k)) * levels);
            for (int i = 0; i < terms; i++)
            {
                int band = i * half / levels;
                double weight = (band % 2 == 0 ? 1 : -1) * (half - Math.Floor((double)i * half / levels + 0.5));

                // Cho-Yoon write erfc(x) = 2 Q(x sqrt 2), hence the factor 2.
                total += term(2 * weight / levels, c * (2 * i + 1) * (2 * i + 1));
            }
        }

        return total / bitsPerAxis;
    }

    private static double FromDb(double db) => Math.Pow(10, db / 10);
}
