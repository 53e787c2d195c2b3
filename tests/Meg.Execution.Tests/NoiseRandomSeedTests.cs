using Meg.Execution;

namespace Meg.Execution.Tests;

public class NoiseRandomSeedTests
{
    [Fact]
    public void The_rule_is_the_one_published_results_were_drawn_with()
    {
        // Changing it would change every noisy image and results.csv made with the same --seed.
        Assert.Equal(0x9E3779B97F4A7C15UL, PayloadTransport.NoiseRandomSeed(1, 0));
        Assert.Equal(unchecked(7 * 0x9E3779B97F4A7C15UL + 3), PayloadTransport.NoiseRandomSeed(7, 3));
    }

    [Fact]
    public void Every_transfer_of_a_run_and_every_run_seed_draws_its_own_stream()
    {
        var seeds = Enumerable.Range(1, 20).SelectMany(run => Enumerable.Range(0, 12).Select(k => PayloadTransport.NoiseRandomSeed((ulong)run, k))).ToList();

        Assert.Equal(seeds.Count, seeds.Distinct().Count());
    }
}
