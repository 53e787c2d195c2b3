using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Meg.Channel.Randomness;

/// <summary>
/// Natural log and sine/cosine on eight or sixteen floats at once, accurate to about 1e-7 on the ranges the Gaussian
/// generator needs. They are fused multiply-adds on the Cephes single-precision polynomials: faster than the
/// general-purpose vector functions, and exactly rounded, so every machine and vector width gives the same bits.
/// </summary>
internal static class VectorMath
{
    /// <summary>ln(x) for positive normal x.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Log(Vector256<float> x)
    {
        // Split x = m * 2^e with m in [sqrt(1/2), sqrt(2)) so the polynomial only sees |m - 1| < 0.42.
        Vector256<int> bits = x.AsInt32();
        Vector256<int> exponent = Vector256.ShiftRightArithmetic(bits, 23) - Vector256.Create(126);
        Vector256<float> mantissa = ((bits & Vector256.Create(0x007FFFFF)) | Vector256.Create(0x3F000000)).AsSingle();
        Vector256<float> small = Vector256.LessThan(mantissa, Vector256.Create(0.707106781186547524f));
        exponent += small.AsInt32(); // all-ones lanes are -1
        Vector256<float> t = mantissa - Vector256<float>.One + (mantissa & small);

        Vector256<float> z = t * t;
        Vector256<float> p = Vector256.Create(7.0376836292E-2f);
        p = Vector256.FusedMultiplyAdd(p, t, Vector256.Create(-1.1514610310E-1f));
        p = Vector256.FusedMultiplyAdd(p, t, Vector256.Create(1.1676998740E-1f));
        p = Vector256.FusedMultiplyAdd(p, t, Vector256.Create(-1.2420140846E-1f));
        p = Vector256.FusedMultiplyAdd(p, t, Vector256.Create(1.4249322787E-1f));
        p = Vector256.FusedMultiplyAdd(p, t, Vector256.Create(-1.6668057665E-1f));
        p = Vector256.FusedMultiplyAdd(p, t, Vector256.Create(2.0000714765E-1f));
        p = Vector256.FusedMultiplyAdd(p, t, Vector256.Create(-2.4999993993E-1f));
        p = Vector256.FusedMultiplyAdd(p, t, Vector256.Create(3.3333331174E-1f));
        Vector256<float> e = Vector256.ConvertToSingle(exponent);
        Vector256<float> y = p * t * z;
        y += e * Vector256.Create(-2.12194440e-4f);
        y -= z * Vector256.Create(0.5f);
        return t + y + e * Vector256.Create(0.693359375f);
    }

    /// <summary>sin(x) and cos(x) for |x| &lt;= pi/4.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static (Vector256<float> Sin, Vector256<float> Cos) SinCosQuarter(Vector256<float> x)
    {
        Vector256<float> z = x * x;
        Vector256<float> sin = Vector256.FusedMultiplyAdd(Vector256.Create(-1.9515295891E-4f), z, Vector256.Create(8.3321608736E-3f));
        sin = Vector256.FusedMultiplyAdd(sin, z, Vector256.Create(-1.6666654611E-1f));
        sin = Vector256.FusedMultiplyAdd(sin * z, x, x);
        Vector256<float> cos = Vector256.FusedMultiplyAdd(Vector256.Create(2.443315711809948E-5f), z, Vector256.Create(-1.388731625493765E-3f));
        cos = Vector256.FusedMultiplyAdd(cos, z, Vector256.Create(4.166664568298827E-2f));
        cos = Vector256.FusedMultiplyAdd(cos * z, z, Vector256.FusedMultiplyAdd(z, Vector256.Create(-0.5f), Vector256<float>.One));
        return (sin, cos);
    }

    // The same functions on sixteen floats, operation for operation, so both widths give identical bits.

    /// <summary>ln(x) for positive normal x.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Log(Vector512<float> x)
    {
        // Split x = m * 2^e with m in [sqrt(1/2), sqrt(2)) so the polynomial only sees |m - 1| < 0.42.
        Vector512<int> bits = x.AsInt32();
        Vector512<int> exponent = Vector512.ShiftRightArithmetic(bits, 23) - Vector512.Create(126);
        Vector512<float> mantissa = ((bits & Vector512.Create(0x007FFFFF)) | Vector512.Create(0x3F000000)).AsSingle();
        Vector512<float> small = Vector512.LessThan(mantissa, Vector512.Create(0.707106781186547524f));
        exponent += small.AsInt32(); // all-ones lanes are -1
        Vector512<float> t = mantissa - Vector512<float>.One + (mantissa & small);

        Vector512<float> z = t * t;
        Vector512<float> p = Vector512.Create(7.0376836292E-2f);
        p = Vector512.FusedMultiplyAdd(p, t, Vector512.Create(-1.1514610310E-1f));
        p = Vector512.FusedMultiplyAdd(p, t, Vector512.Create(1.1676998740E-1f));
        p = Vector512.FusedMultiplyAdd(p, t, Vector512.Create(-1.2420140846E-1f));
        p = Vector512.FusedMultiplyAdd(p, t, Vector512.Create(1.4249322787E-1f));
        p = Vector512.FusedMultiplyAdd(p, t, Vector512.Create(-1.6668057665E-1f));
        p = Vector512.FusedMultiplyAdd(p, t, Vector512.Create(2.0000714765E-1f));
        p = Vector512.FusedMultiplyAdd(p, t, Vector512.Create(-2.4999993993E-1f));
        p = Vector512.FusedMultiplyAdd(p, t, Vector512.Create(3.3333331174E-1f));
        Vector512<float> e = Vector512.ConvertToSingle(exponent);
        Vector512<float> y = p * t * z;
        y += e * Vector512.Create(-2.12194440e-4f);
        y -= z * Vector512.Create(0.5f);
        return t + y + e * Vector512.Create(0.693359375f);
    }

    /// <summary>sin(x) and cos(x) for |x| &lt;= pi/4.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static (Vector512<float> Sin, Vector512<float> Cos) SinCosQuarter(Vector512<float> x)
    {
        Vector512<float> z = x * x;
        Vector512<float> sin = Vector512.FusedMultiplyAdd(Vector512.Create(-1.9515295891E-4f), z, Vector512.Create(8.3321608736E-3f));
        sin = Vector512.FusedMultiplyAdd(sin, z, Vector512.Create(-1.6666654611E-1f));
        sin = Vector512.FusedMultiplyAdd(sin * z, x, x);
        Vector512<float> cos = Vector512.FusedMultiplyAdd(Vector512.Create(2.443315711809948E-5f), z, Vector512.Create(-1.388731625493765E-3f));
        cos = Vector512.FusedMultiplyAdd(cos, z, Vector512.Create(4.166664568298827E-2f));
        cos = Vector512.FusedMultiplyAdd(cos * z, z, Vector512.FusedMultiplyAdd(z, Vector512.Create(-0.5f), Vector512<float>.One));
        return (sin, cos);
    }
}
