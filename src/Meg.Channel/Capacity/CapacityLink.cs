using Meg.Channel.Fading;

namespace Meg.Channel.Capacity;

/// <summary>
/// An ideal code at a fixed rate R bits per channel use: a fading block is decoded without error when
/// R &lt;= log2(1 + SNR |h|^2) for its realized gain, and is in outage otherwise. One block in outage loses the payload.
/// </summary>
internal static class CapacityLink
{
    /// <summary>Channel uses spent and fading blocks in outage.</summary>
    public readonly record struct Outcome(long ChannelUses, int BlocksInOutage);

    public static Outcome Send(long bits, ChannelSettings settings, ulong seed)
    {
        long uses = ChannelUseCount.ForCapacity(bits, settings);
        if (uses == 0)
        {
            return new Outcome(0, 0);
        }

        int blocks = settings.IsFaded ? (int)((uses + settings.FadingBlockLength - 1) / settings.FadingBlockLength) : 1;
        float[] gains = BlockFading.DrawGains(blocks, settings, SeedStreams.FadingGains(seed));
        double snr = Math.Pow(10, settings.SnrDb / 10);
        int outages = 0;
        for (int b = 0; b < blocks; b++)
        {
            double gainSquared = (double)gains[2 * b] * gains[2 * b] + (double)gains[2 * b + 1] * gains[2 * b + 1];
            if (settings.CapacityRate > Math.Log2(1 + snr * gainSquared))
            {
                outages++;
            }
        }

        return new Outcome(uses, outages);
    }
}
