namespace Meg.Charts.Tests;

/// <summary>Ticks a reader expects: 1-2-5 steps that cover the data, decades on log axes.</summary>
public sealed class AxisTicksTests
{
    [Theory]
    [InlineData(-20, 20)]
    [InlineData(0.018, 0.999)]
    [InlineData(3, 1234)]
    public void Linear_ticks_cover_the_range_in_even_1_2_5_steps(double min, double max)
    {
        var (lo, hi, ticks) = AxisTicks.Linear(min, max);

        Assert.True(lo <= min && hi >= max, $"[{lo}, {hi}] does not cover [{min}, {max}]");
        Assert.Equal(lo, ticks[0], 9);
        Assert.Equal(hi, ticks[^1], 9);
        var step = ticks[1] - ticks[0];
        Assert.All(ticks.Zip(ticks.Skip(1)), p => Assert.Equal(step, p.Second - p.First, 9));
        var mantissa = step / Math.Pow(10, Math.Floor(Math.Log10(step)));
        Assert.Contains(Math.Round(mantissa, 6), new[] { 1.0, 2.0, 5.0 });
        Assert.InRange(ticks.Length, 3, 12);
    }

    [Fact]
    public void A_flat_series_still_gets_a_range_around_its_value()
    {
        var (lo, hi, ticks) = AxisTicks.Linear(0.5, 0.5);

        Assert.True(lo < 0.5 && hi > 0.5);
        Assert.True(ticks.Length >= 2);
    }

    [Fact]
    public void Log_ticks_are_the_decades_around_the_data()
    {
        var (lo, hi, ticks) = AxisTicks.Log(3e-6, 0.2);

        Assert.Equal(1e-6, lo, 12);
        Assert.Equal(1, hi, 12);
        Assert.Equal(new[] { 1e-6, 1e-5, 1e-4, 1e-3, 1e-2, 1e-1, 1 }, ticks.Select(t => Math.Round(t, 12)));
    }

    [Theory]
    [InlineData(0.01, true, "0.01")]
    [InlineData(0.001, true, "1e-3")]
    [InlineData(1e-6, true, "1e-6")]
    [InlineData(12.5, false, "12.5")]
    [InlineData(250000, false, "2.5e5")]
    public void Labels_are_short(double value, bool log, string expected) => Assert.Equal(expected, AxisTicks.Format(value, log));
}
