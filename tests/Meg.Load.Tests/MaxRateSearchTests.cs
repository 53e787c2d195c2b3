using Meg.Load.Running;

namespace Meg.Load.Tests;

/// <summary>The search for the highest rate within the SLO: bisection on a log scale, a few probes.</summary>
public sealed class MaxRateSearchTests
{
    [Fact]
    public async Task It_closes_in_on_the_capacity_from_below_within_the_probes_it_may_spend()
    {
        var probes = new List<double>();

        var found = await MaxRateSearch.FindAsync(0.5, 8, rate =>
        {
            probes.Add(rate);
            return Task.FromResult(rate <= 3.2);
        });

        Assert.Equal(6, probes.Count);
        Assert.NotNull(found);
        Assert.True(found <= 3.2, $"found {found}, above the capacity");
        Assert.True(found > 3.2 / 1.5, $"found {found}, far below the capacity");
    }

    [Fact]
    public async Task A_range_that_the_system_meets_throughout_answers_its_top_and_one_it_never_meets_answers_null()
    {
        Assert.Equal(4, await MaxRateSearch.FindAsync(1, 4, _ => Task.FromResult(true)));
        Assert.Null(await MaxRateSearch.FindAsync(1, 4, _ => Task.FromResult(false)));
    }

    [Fact]
    public async Task A_bad_range_is_refused() =>
        await Assert.ThrowsAsync<ArgumentException>(() => MaxRateSearch.FindAsync(2, 1, _ => Task.FromResult(true)));
}
