using Meg.Channel.Randomness;

namespace Meg.Channel.Tests;

/// <summary>Reproducible payloads for the tests.</summary>
internal static class TestPayloads
{
    public static float[] Gaussian(int count, ulong seed, float mean = 0, float stdDev = 1)
    {
        var values = new float[count];
        GaussianNoise.Fill(values, seed);
        for (int i = 0; i < count; i++)
        {
            values[i] = mean + stdDev * values[i];
        }

        return values;
    }

    public static byte[] Bytes(int count, ulong seed)
    {
        var bytes = new byte[count];
        var generator = new Xoshiro256StarStar(seed);
        for (int i = 0; i < count; i++)
        {
            bytes[i] = (byte)generator.NextUInt64();
        }

        return bytes;
    }
}
