using Meg.Channel.Digital;

namespace Meg.Channel.Tests;

public class UniformQuantizerTests
{
    [Theory]
    [InlineData(8)]
    [InlineData(16)]
    public void Round_trip_error_is_at_most_half_a_step(int bits)
    {
        float[] values = Enumerable.Range(0, 10_000).Select(i => 3f * MathF.Sin(i * 0.37f) - 1f).ToArray();
        var levels = new ushort[values.Length];
        var restored = new float[values.Length];

        QuantizationRange range = UniformQuantizer.Quantize(values, bits, levels);
        UniformQuantizer.Dequantize(levels, bits, range, restored);

        double halfStep = (range.Max - range.Min) / (2.0 * ((1 << bits) - 1));
        double worst = values.Zip(restored, (a, b) => Math.Abs(a - b)).Max();
        Assert.True(worst <= halfStep * 1.001 + 1e-6, $"worst error {worst} exceeds half a step {halfStep}");
        Assert.True(worst > halfStep * 0.5, "a sine should hit near the worst case");
        Assert.Equal(values.Min(), range.Min);
        Assert.Equal(values.Max(), range.Max);
    }

    [Fact]
    public void A_constant_payload_round_trips_exactly()
    {
        float[] values = [2.5f, 2.5f, 2.5f];
        var levels = new ushort[3];
        var restored = new float[3];

        UniformQuantizer.Dequantize(levels, 8, UniformQuantizer.Quantize(values, 8, levels), restored);

        Assert.Equal(values, restored);
    }

    [Fact]
    public void Other_bit_widths_are_rejected_with_the_accepted_values()
    {
        var error = Assert.Throws<ArgumentException>(() => UniformQuantizer.Quantize([1f], 12, new ushort[1]));
        Assert.Contains("8 or 16", error.Message);
    }
}
