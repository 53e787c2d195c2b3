using Meg.Channel.Randomness;
using Meg.Experiments.Statistics;

namespace Meg.Experiments.Tests;

/// <summary>The percentile bootstrap of a mean: deterministic per seed, as wide as the data's spread allows.</summary>
public sealed class BootstrapIntervalTests
{
    [Fact]
    public void Identical_items_give_a_zero_width_interval_at_their_value()
    {
        var interval = BootstrapInterval.OfMean(Enumerable.Repeat(0.1, 30).ToArray(), seed: 1);

        Assert.Equal(new ConfidenceInterval(interval.Mean, interval.Mean, interval.Mean), interval);
        Assert.Equal(0.1, interval.Mean, 12);
        Assert.Equal(0, interval.Width);
    }

    [Fact]
    public void The_interval_contains_the_mean_and_is_of_the_size_the_standard_error_predicts()
    {
        var values = Uniform(100, seed: 7);

        var interval = BootstrapInterval.OfMean(values, seed: 3);

        Assert.Equal(values.Average(), interval.Mean, 12);
        Assert.True(interval.Contains(interval.Mean), interval.ToString());
        // Uniform(0, 1) has sd 0.289: a 95% interval of the mean of 100 is about 2 * 1.96 * 0.0289 = 0.113 wide.
        Assert.InRange(interval.Width, 0.08, 0.15);
    }

    [Fact]
    public void Four_times_the_items_about_halves_the_width()
    {
        var few = BootstrapInterval.OfMean(Uniform(50, seed: 11), seed: 5);
        var many = BootstrapInterval.OfMean(Uniform(200, seed: 12), seed: 5);

        Assert.InRange(few.Width / many.Width, 1.5, 2.7);
    }

    [Fact]
    public void The_same_seed_gives_the_same_interval_and_another_seed_a_slightly_different_one()
    {
        var values = Uniform(40, seed: 2);

        var first = BootstrapInterval.OfMean(values, seed: 42);
        var again = BootstrapInterval.OfMean(values, seed: 42);
        var other = BootstrapInterval.OfMean(values, seed: 43);

        Assert.Equal(first, again);
        Assert.NotEqual(first, other);
        Assert.Equal(first.Mean, other.Mean);
    }

    [Fact]
    public void Non_finite_values_are_skipped()
    {
        var values = Uniform(30, seed: 9);
        var withGaps = values.Concat([double.NaN, double.PositiveInfinity]).ToArray();

        Assert.Equal(BootstrapInterval.OfMean(values, seed: 1), BootstrapInterval.OfMean(withGaps, seed: 1));
    }

    [Fact]
    public void Fewer_than_two_finite_values_give_an_unknown_interval()
    {
        var none = BootstrapInterval.OfMean([double.NaN], seed: 1);
        var one = BootstrapInterval.OfMean([0.5, double.NaN], seed: 1);

        Assert.True(double.IsNaN(none.Mean) && double.IsNaN(none.Low) && double.IsNaN(none.High));
        Assert.Equal(0.5, one.Mean);
        Assert.True(double.IsNaN(one.Low) && double.IsNaN(one.High));
        Assert.False(one.Contains(0.5));
    }

    [Fact]
    public void A_higher_level_gives_a_wider_interval_around_the_narrower_one()
    {
        var values = Uniform(60, seed: 4);

        var ninety = BootstrapInterval.OfMean(values, seed: 8, level: 0.90);
        var ninetyNine = BootstrapInterval.OfMean(values, seed: 8, level: 0.99);

        Assert.True(ninetyNine.Width > ninety.Width, $"{ninetyNine} vs {ninety}");
        Assert.True(ninetyNine.Low < ninety.Low && ninetyNine.High > ninety.High);
    }

    [Fact]
    public void The_paired_interval_sees_a_small_shift_that_the_spread_between_items_would_hide()
    {
        // Item difficulty varies a lot (0..1); method B is better than A by 0.02 on every item, give or take 0.005.
        var difficulty = Uniform(50, seed: 21);
        var jitter = Uniform(50, seed: 22);
        var a = difficulty;
        var b = difficulty.Select((d, i) => d + 0.02 + (jitter[i] - 0.5) * 0.01).ToArray();

        var paired = BootstrapInterval.OfMeanDifference(b, a, seed: 6);
        var separate = (B: BootstrapInterval.OfMean(b, seed: 6), A: BootstrapInterval.OfMean(a, seed: 6));

        Assert.InRange(paired.Mean, 0.019, 0.021);
        Assert.True(paired.Low > 0, $"the paired interval {paired} should exclude 0");
        Assert.True(separate.B.Low < separate.A.High, "the separate intervals overlap, hiding the shift");
    }

    [Fact]
    public void The_paired_interval_skips_pairs_with_a_missing_value_and_refuses_unaligned_lists()
    {
        var paired = BootstrapInterval.OfMeanDifference([1.0, 2.0, double.NaN, 4.0], [0.5, 1.5, 3.0, double.NaN], seed: 1);

        Assert.Equal(0.5, paired.Mean);
        Assert.Equal(0, paired.Width);
        var error = Assert.Throws<ArgumentException>(() => BootstrapInterval.OfMeanDifference([1.0, 2.0], [1.0], seed: 1));
        Assert.Equal("second", error.ParamName);
    }

    [Theory]
    [InlineData(0, 0.95, "resamples")]
    [InlineData(100, 1.0, "level")]
    [InlineData(100, 0.0, "level")]
    [InlineData(100, double.NaN, "level")]
    public void Bad_settings_are_refused_naming_the_setting(int resamples, double level, string field)
    {
        var error = Assert.Throws<ArgumentException>(() => BootstrapInterval.OfMean([1.0, 2.0], seed: 1, resamples, level));

        Assert.Equal(field, error.ParamName);
    }

    private static double[] Uniform(int count, ulong seed)
    {
        var random = new Xoshiro256StarStar(seed);
        return Enumerable.Range(0, count).Select(_ => random.NextDouble()).ToArray();
    }
}
