using Meg.Channel.Randomness;

namespace Meg.Channel.Tests;

public class RandomGeneratorTests
{
    [Fact]
    public void SplitMix64_matches_the_reference_sequence()
    {
        // First outputs of the reference splitmix64.c seeded with 0.
        var generator = new SplitMix64(0);
        Assert.Equal(0xE220A8397B1DCDAFUL, generator.Next());
        Assert.Equal(0x6E789E6AA1B965F4UL, generator.Next());
    }

    [Fact]
    public void Xoshiro_is_reproducible_and_seed_sensitive()
    {
        var a = new Xoshiro256StarStar(99);
        var b = new Xoshiro256StarStar(99);
        var c = new Xoshiro256StarStar(100);
        ulong first = a.NextUInt64();

        Assert.Equal(first, b.NextUInt64());
        Assert.NotEqual(first, c.NextUInt64());
    }

    [Fact]
    public void Random_bits_are_fair()
    {
        var bits = new byte[1 << 20];
        new Xoshiro256StarStar(5).FillBits(bits);

        double ones = bits.Sum(b => (double)b) / bits.Length;
        Assert.InRange(ones, 0.497, 0.503); // about 6 sigma
        Assert.All(bits.Take(1000), b => Assert.True(b <= 1));
    }

    [Fact]
    public void Derived_sub_seeds_differ_from_each_other_and_the_parent()
    {
        var seeds = Enumerable.Range(0, 1000).Select(i => SplitMix64.Derive(123, (ulong)i)).Append(123UL).ToHashSet();

        Assert.Equal(1001, seeds.Count);
    }
}
