namespace Meg.Execution;

/// <summary>How a latent is represented on a digital link (analog links send the values themselves).</summary>
public enum SeedForm
{
    /// <summary>IEEE float32, 32 bits per value: bit errors can hit the exponent.</summary>
    Float32,

    /// <summary>IEEE float16, 16 bits per value.</summary>
    Float16,

    /// <summary>Uniformly quantized to 8 bits with the range as side information.</summary>
    Quantized8,
}
