using Meg.Channel.Randomness;

namespace Meg.Channel;

/// <summary>
/// Named sub-streams of a transfer seed. Each kind of randomness has its own stream, so the noise drawn for a
/// seed is the same whatever the fading or CSI settings (common random numbers make settings comparable).
/// </summary>
internal static class SeedStreams
{
    public static ulong Noise(ulong seed) => SplitMix64.Derive(seed, 1);

    public static ulong FadingGains(ulong seed) => SplitMix64.Derive(seed, 2);

    public static ulong PilotNoise(ulong seed) => SplitMix64.Derive(seed, 3);

    public static ulong PayloadBits(ulong seed) => SplitMix64.Derive(seed, 4);

    /// <summary>Repetition k (from 0) of an analog payload; the first copy keeps the transfer's own seed.</summary>
    public static ulong Repetition(ulong seed, int k) => k == 0 ? seed : SplitMix64.Derive(seed, 16 + (ulong)k);
}
