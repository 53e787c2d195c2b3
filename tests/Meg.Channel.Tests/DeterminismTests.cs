namespace Meg.Channel.Tests;

public class DeterminismTests
{
    public static TheoryData<ChannelSettings> Links => new()
    {
        new ChannelSettings { Mode = ChannelMode.Analog, SnrDb = 5 },
        new ChannelSettings { Mode = ChannelMode.Analog, SnrDb = 5, Fading = FadingModel.Rayleigh, Csi = CsiMode.PilotEstimate },
        new ChannelSettings { Mode = ChannelMode.Digital, Modulation = Modulation.Qam16, SnrDb = 8, Coded = true },
        new ChannelSettings { Mode = ChannelMode.Digital, Modulation = Modulation.Qam64, SnrDb = 15, Coded = false, Fading = FadingModel.Rician },
    };

    [Theory]
    [MemberData(nameof(Links))]
    public void Same_seed_gives_identical_bytes_and_a_different_seed_does_not(ChannelSettings settings)
    {
        byte[] payload = TestPayloads.Bytes(200_000, seed: 1);

        byte[] first = WirelessChannel.TransmitBytes(payload, settings, seed: 77).Received;
        byte[] again = WirelessChannel.TransmitBytes(payload, settings, seed: 77).Received;
        byte[] other = WirelessChannel.TransmitBytes(payload, settings, seed: 78).Received;

        Assert.Equal(first, again);
        Assert.NotEqual(first, other);
    }

    [Fact]
    public void Same_seed_gives_identical_floats_bit_for_bit()
    {
        float[] payload = TestPayloads.Gaussian(500_000, seed: 2);
        var settings = new ChannelSettings { SnrDb = 3 };

        float[] first = WirelessChannel.TransmitFloats(payload, settings, seed: 5).Received;
        float[] again = WirelessChannel.TransmitFloats(payload, settings, seed: 5).Received;

        Assert.True(first.AsSpan().SequenceEqual(again));
    }
}
