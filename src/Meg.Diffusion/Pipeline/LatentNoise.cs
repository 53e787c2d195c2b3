namespace Meg.Diffusion.Pipeline;

/// <summary>
/// Standard normal draws for latents from an explicit random seed (SplitMix64 + Box-Muller in double precision): the same
/// seed gives the same noise on every machine, so the same seed gives the same image.
/// </summary>
public static class LatentNoise
{
    public static float[] Draw(ulong seed, int count)
    {
        var result = new float[count];
        var state = seed ^ 0x6A09E667F3BCC909UL; // keep seed 0 away from a degenerate state
        for (var i = 0; i < count; i += 2)
        {
            // Uniform in (0, 1]: 53 random bits, never 0, so the log is finite.
            var u1 = ((Next(ref state) >> 11) + 1) * (1.0 / 9007199254740992.0);
            var u2 = (Next(ref state) >> 11) * (1.0 / 9007199254740992.0);
            var radius = Math.Sqrt(-2 * Math.Log(u1));
            var angle = 2 * Math.PI * u2;
            result[i] = (float)(radius * Math.Cos(angle));
            if (i + 1 < count)
            {
                result[i + 1] = (float)(radius * Math.Sin(angle));
            }
        }

        return result;
    }

    private static ulong Next(ref ulong state)
    {
        var z = state += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
