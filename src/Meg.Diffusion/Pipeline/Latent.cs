namespace Meg.Diffusion.Pipeline;

/// <summary>One latent tensor [C, H, W] (batch of one), in the scaled space the UNet works in.</summary>
public sealed record Latent(float[] Data, int Channels, int Height, int Width)
{
    public int Length => Channels * Height * Width;

    public static Latent Zeros(int channels, int height, int width) => new(new float[channels * height * width], channels, height, width);

    public Latent Copy() => this with { Data = (float[])Data.Clone() };

    /// <summary>True when both hold the same shape and bit-identical values (compared as bytes: -0 differs from 0, and
    /// a NaN equals only the same NaN).</summary>
    public bool BitEquals(Latent other) =>
        Channels == other.Channels && Height == other.Height && Width == other.Width
        && System.Runtime.InteropServices.MemoryMarshal.AsBytes(Data.AsSpan()).SequenceEqual(System.Runtime.InteropServices.MemoryMarshal.AsBytes(other.Data.AsSpan()));
}
