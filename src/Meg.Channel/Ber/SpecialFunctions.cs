namespace Meg.Channel.Ber;

/// <summary>Special functions the BER formulas need and .NET does not provide.</summary>
public static class SpecialFunctions
{
    /// <summary>
    /// Complementary error function, relative error below 1.2e-7 everywhere (the Chebyshev fit of Numerical Recipes,
    /// "erfcc"); accurate in the far tail, where 1 - erf(x) would cancel.
    /// </summary>
    public static double Erfc(double x)
    {
        if (double.IsNaN(x))
        {
            return double.NaN;
        }

        double z = Math.Abs(x);
        double t = 1 / (1 + 0.5 * z);
        double poly = -1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418 + t * (-0.18628806
            + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277))))))));
        double value = t * Math.Exp(-z * z + poly);
        return x >= 0 ? value : 2 - value;
    }

    /// <summary>Gaussian tail probability Q(x) = P(N(0, 1) &gt; x) = erfc(x / sqrt 2) / 2.</summary>
    public static double Q(double x) => 0.5 * Erfc(x / Math.Sqrt(2));
}
