namespace Meg.Channel.Tests;

/// <summary>Analog repetition spends r times the channel uses for r times the SNR (on AWGN), and r = 1 is the plain link.</summary>
public class RepetitionTests
{
    private static readonly float[] Payload = TestPayloads.Gaussian(1 << 16, seed: 2, mean: 0f, stdDev: 1f);

    private static double ErrorEnergy(float[] received) => Payload.Zip(received, (a, b) => (double)(a - b) * (a - b)).Sum();

    [Theory]
    [InlineData(2)]
    [InlineData(4)]
    [InlineData(12)]
    public void Averaging_r_copies_cuts_the_noise_r_times_and_costs_r_times_the_uses(int r)
    {
        var once = new ChannelSettings { Mode = ChannelMode.Analog, SnrDb = 0 };

        var single = WirelessChannel.TransmitFloats(Payload, once, seed: 5);
        var repeated = WirelessChannel.TransmitFloats(Payload, once with { Repetitions = r }, seed: 5);

        Assert.Equal(r * single.Accounting.ChannelUses, repeated.Accounting.ChannelUses);
        Assert.InRange(ErrorEnergy(single.Received) / ErrorEnergy(repeated.Received), 0.9 * r, 1.1 * r);
        Assert.InRange(repeated.MeasuredSnrDb!.Value, -0.1, 0.1); // each copy still crosses at the link's SNR
    }

    [Fact]
    public void One_repetition_is_the_plain_link_and_a_noiseless_link_stays_exact()
    {
        var link = new ChannelSettings { Mode = ChannelMode.Analog, SnrDb = 3 };

        Assert.Equal(WirelessChannel.TransmitFloats(Payload, link, seed: 8).Received, WirelessChannel.TransmitFloats(Payload, link with { Repetitions = 1 }, seed: 8).Received);
        var noiseless = new ChannelSettings { Mode = ChannelMode.Noiseless, Repetitions = 3 };
        Assert.Equal(Payload, WirelessChannel.TransmitFloats(Payload, noiseless, seed: 8).Received);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(65)]
    public void A_repetition_count_out_of_range_is_refused_naming_it(int r)
    {
        var error = Assert.Throws<ArgumentException>(() => new ChannelSettings { Repetitions = r }.Validate());

        Assert.Contains("Repetitions", error.Message);
        Assert.Contains("from 1 to 64", error.Message);
    }
}
