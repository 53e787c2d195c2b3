using Meg.Channel.Randomness;

namespace Meg.Channel.Fading;

/// <summary>Complex gains of a block-fading channel, one per block, with E|h|^2 = 1.</summary>
internal static class BlockFading
{
    /// <summary>Returns <paramref name="blocks"/> gains as interleaved (re, im) floats.</summary>
    public static float[] DrawGains(int blocks, ChannelSettings settings, ulong seed)
    {
        var gains = new float[2 * blocks];
        if (settings.Fading == FadingModel.None)
        {
            for (int b = 0; b < blocks; b++)
            {
                gains[2 * b] = 1;
            }

            return gains;
        }

        GaussianNoise.Fill(gains, seed);

        // Rician: a line-of-sight part of power K/(K+1) (phase 0) plus CN(0, 1/(K+1)); K = 0 is Rayleigh.
        double k = settings.Fading == FadingModel.Rician ? settings.RicianK : 0;
        float lineOfSight = (float)Math.Sqrt(k / (k + 1));
        float scatterPerDimension = (float)Math.Sqrt(0.5 / (k + 1));
        for (int b = 0; b < blocks; b++)
        {
            gains[2 * b] = lineOfSight + scatterPerDimension * gains[2 * b];
            gains[2 * b + 1] = scatterPerDimension * gains[2 * b + 1];
        }

        return gains;
    }
}
