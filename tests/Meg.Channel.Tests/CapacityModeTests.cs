namespace Meg.Channel.Tests;

public class CapacityModeTests
{
    [Fact]
    public void A_rate_below_capacity_arrives_error_free()
    {
        // log2(1 + 10^(10/10)) = 3.46 bits per use.
        byte[] payload = TestPayloads.Bytes(1000, seed: 1);
        var settings = new ChannelSettings { Mode = ChannelMode.Capacity, SnrDb = 10, CapacityRate = 3.4 };

        TransferResult<byte[]> result = WirelessChannel.TransmitBytes(payload, settings, seed: 1);

        Assert.False(result.Outage);
        Assert.Equal(payload, result.Received);
        Assert.Equal((long)Math.Ceiling(8000 / 3.4), result.Accounting.ChannelUses);
    }

    [Fact]
    public void A_rate_above_capacity_is_an_outage_and_the_payload_is_lost()
    {
        byte[] payload = TestPayloads.Bytes(1000, seed: 1);
        var settings = new ChannelSettings { Mode = ChannelMode.Capacity, SnrDb = 10, CapacityRate = 3.5 };

        TransferResult<byte[]> result = WirelessChannel.TransmitBytes(payload, settings, seed: 1);

        Assert.True(result.Outage);
        Assert.All(result.Received, b => Assert.Equal(0, b));
        Assert.Equal(1000, result.Received.Length);
    }

    [Fact]
    public void Rayleigh_outage_frequency_matches_the_exponential_gain()
    {
        // One block per transfer: outage when |h|^2 < (2^R - 1) / SNR, with |h|^2 ~ Exp(1).
        var settings = new ChannelSettings
        {
            Mode = ChannelMode.Capacity, SnrDb = 10, CapacityRate = 2, Fading = FadingModel.Rayleigh, FadingBlockLength = 1000,
        };
        float[] payload = new float[100]; // 8-bit quantized: 800 + 64 bits in 432 uses, one block
        int transfers = 4000;

        int outages = Enumerable.Range(0, transfers).Count(i => WirelessChannel.TransmitFloats(payload, settings, (ulong)i).Outage);

        double expected = 1 - Math.Exp(-(Math.Pow(2, 2) - 1) / 10);
        Assert.InRange(outages / (double)transfers, expected - 0.03, expected + 0.03);
    }
}
