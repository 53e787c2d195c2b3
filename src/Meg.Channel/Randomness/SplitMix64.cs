namespace Meg.Channel.Randomness;

/// <summary>
/// SplitMix64 (Steele, Lea, Flood 2014): a tiny 64-bit generator. Used to expand one seed into the
/// state of a larger generator and to derive independent sub-seeds, never for the bulk of the draws.
/// </summary>
public struct SplitMix64
{
    private const ulong GoldenGamma = 0x9E3779B97F4A7C15UL;
    private ulong _state;

    /// <summary>Starts the sequence at <paramref name="seed"/>.</summary>
    public SplitMix64(ulong seed) => _state = seed;

    /// <summary>Returns the next 64 random bits.</summary>
    public ulong Next()
    {
        _state += GoldenGamma;
        return Mix(_state);
    }

    /// <summary>The SplitMix64 finalizer: a bijective mix in which every input bit affects every output bit.</summary>
    public static ulong Mix(ulong z)
    {
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    /// <summary>
    /// Derives the seed of sub-stream <paramref name="index"/> of <paramref name="seed"/>: the index-th output
    /// of a SplitMix64 sequence started at the mixed parent seed. Sub-streams of one parent are distinct and
    /// look independent, so chunks processed in parallel can each draw from their own stream.
    /// </summary>
    public static ulong Derive(ulong seed, ulong index) => Mix(Mix(seed) + (index + 1) * GoldenGamma);
}
