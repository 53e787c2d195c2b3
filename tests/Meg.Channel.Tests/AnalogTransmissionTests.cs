using Meg.Channel.Analog;

namespace Meg.Channel.Tests;

public class AnalogTransmissionTests
{
    [Theory]
    [InlineData(-10.0)]
    [InlineData(0.0)]
    [InlineData(10.0)]
    [InlineData(20.0)]
    public void Measured_snr_is_within_a_tenth_of_a_db_of_the_target(double snrDb)
    {
        // A payload with an offset and scale of its own: normalization must make its power 1 per complex symbol.
        float[] payload = TestPayloads.Gaussian(1 << 20, seed: 1, mean: 3f, stdDev: 5f);
        var settings = new ChannelSettings { Mode = ChannelMode.Analog, SnrDb = snrDb };

        TransferResult<float[]> result = WirelessChannel.TransmitFloats(payload, settings, seed: 9);

        Assert.InRange(result.MeasuredSnrDb!.Value, snrDb - 0.1, snrDb + 0.1);

        // The error actually seen on the payload has the same ratio to the payload's power.
        double signal = payload.Sum(v => (double)v * v);
        double error = payload.Zip(result.Received, (a, b) => (double)(a - b) * (a - b)).Sum();
        Assert.InRange(10 * Math.Log10(signal / error), snrDb - 0.1, snrDb + 0.1);
    }

    [Fact]
    public void Noiseless_analog_returns_the_input_within_float_rounding()
    {
        float[] payload = TestPayloads.Gaussian(10_001, seed: 2, mean: -4f, stdDev: 0.01f);

        TransferResult<float[]> result = WirelessChannel.TransmitFloats(payload, new ChannelSettings { Mode = ChannelMode.Noiseless }, seed: 1);

        for (int i = 0; i < payload.Length; i++)
        {
            Assert.Equal(payload[i], result.Received[i], Math.Abs(payload[i]) * 1e-6f);
        }

        Assert.Equal(double.PositiveInfinity, result.MeasuredSnrDb);
    }

    [Fact]
    public void Noiseless_bytes_come_back_exactly()
    {
        byte[] payload = TestPayloads.Bytes(4097, seed: 3);

        TransferResult<byte[]> result = WirelessChannel.TransmitBytes(payload, new ChannelSettings { Mode = ChannelMode.Noiseless }, seed: 1);

        Assert.Equal(payload, result.Received);
    }

    [Fact]
    public void Analog_bytes_at_high_snr_come_back_exactly_and_at_low_snr_stay_in_range()
    {
        byte[] payload = TestPayloads.Bytes(10_000, seed: 4);

        byte[] clean = WirelessChannel.TransmitBytes(payload, new ChannelSettings { SnrDb = 60 }, seed: 1).Received;
        byte[] noisy = WirelessChannel.TransmitBytes(payload, new ChannelSettings { SnrDb = 0 }, seed: 1).Received;

        Assert.Equal(payload, clean);
        Assert.NotEqual(payload, noisy);
        Assert.Contains(noisy, b => b == 0);   // clamped, not wrapped around
        Assert.Contains(noisy, b => b == 255);
    }

    [Fact]
    public void Rayleigh_with_perfect_csi_keeps_the_average_snr()
    {
        float[] payload = TestPayloads.Gaussian(1 << 18, seed: 5);
        var settings = new ChannelSettings { SnrDb = 10, Fading = FadingModel.Rayleigh, FadingBlockLength = 1 };

        TransferResult<float[]> result = WirelessChannel.TransmitFloats(payload, settings, seed: 2);

        // E|h|^2 = 1, so the received SNR averages to the target; per-symbol SNR after equalization varies widely.
        Assert.InRange(result.MeasuredSnrDb!.Value, 9.8, 10.2);
    }

    [Fact]
    public void Pilot_estimates_cost_uses_and_add_estimation_noise()
    {
        float[] payload = TestPayloads.Gaussian(1 << 16, seed: 6);
        var perfect = new ChannelSettings { SnrDb = 15, Fading = FadingModel.Rayleigh, FadingBlockLength = 64 };
        var estimated = perfect with { Csi = CsiMode.PilotEstimate, PilotsPerBlock = 4 };

        TransferResult<float[]> a = WirelessChannel.TransmitFloats(payload, perfect, seed: 3);
        TransferResult<float[]> b = WirelessChannel.TransmitFloats(payload, estimated, seed: 3);

        Assert.Equal(payload.Length / 2, a.Accounting.ChannelUses);
        long blocks = (payload.Length / 2 + 59) / 60;
        Assert.Equal(blocks * 4, b.Accounting.PilotChannelUses);
        Assert.Equal(payload.Length / 2 + blocks * 4, b.Accounting.ChannelUses);
        Assert.True(Mse(payload, b.Received) > Mse(payload, a.Received), "estimated CSI should not beat perfect CSI");
    }

    [Fact]
    public void In_place_and_separate_buffers_give_the_same_output()
    {
        float[] payload = TestPayloads.Gaussian(300_001, seed: 7);
        var settings = new ChannelSettings { SnrDb = 5 };
        var separate = new float[payload.Length];
        float[] inPlace = (float[])payload.Clone();

        AnalogTransmission.Transmit(payload, separate, settings, seed: 4);
        AnalogTransmission.Transmit(inPlace, inPlace, settings, seed: 4);

        Assert.Equal(separate, inPlace);
    }

    [Fact]
    public void A_nan_in_the_payload_is_reported_with_its_index()
    {
        float[] payload = [1f, 2f, float.NaN, 4f];

        var error = Assert.Throws<ArgumentException>(() => WirelessChannel.TransmitFloats(payload, new ChannelSettings(), seed: 1));

        Assert.Contains("index 2", error.Message);
    }

    private static double Mse(float[] a, float[] b) => a.Zip(b, (x, y) => (double)(x - y) * (x - y)).Average();
}
