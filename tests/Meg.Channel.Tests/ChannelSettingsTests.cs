namespace Meg.Channel.Tests;

public class ChannelSettingsTests
{
    public static TheoryData<ChannelSettings, string, string> InvalidSettings => new()
    {
        { new ChannelSettings { SnrDb = 120 }, "SnrDb", "between -50 and 100 dB" },
        { new ChannelSettings { SnrDb = double.NaN }, "SnrDb", "between -50 and 100 dB" },
        { new ChannelSettings { Fading = FadingModel.Rician, RicianK = -1 }, "RicianK", ">= 0" },
        { new ChannelSettings { FadingBlockLength = 0 }, "FadingBlockLength", "at least 1" },
        { new ChannelSettings { Fading = FadingModel.Rayleigh, Csi = CsiMode.PilotEstimate, FadingBlockLength = 4, PilotsPerBlock = 4 }, "PilotsPerBlock", "between 1 and FadingBlockLength - 1" },
        { new ChannelSettings { InterleaverRows = 8 }, "InterleaverRows", "both be 0" },
        { new ChannelSettings { QuantizationBits = 12 }, "QuantizationBits", "8 or 16" },
        { new ChannelSettings { CapacityRate = 0 }, "CapacityRate", "above 0" },
        { new ChannelSettings { BandwidthHz = -1 }, "BandwidthHz", "positive" },
        { new ChannelSettings { Modulation = (Modulation)9 }, "Modulation", "Bpsk, Qpsk, Qam16, Qam64" },
    };

    [Theory]
    [MemberData(nameof(InvalidSettings))]
    public void Validate_names_the_field_and_what_is_accepted(ChannelSettings settings, string field, string accepted)
    {
        var error = Assert.Throws<ArgumentException>(settings.Validate);

        Assert.Equal(field, error.ParamName);
        Assert.StartsWith(field, error.Message);
        Assert.Contains(accepted, error.Message);
    }

    [Fact]
    public void Defaults_are_valid()
    {
        new ChannelSettings().Validate();
        new ChannelSettings { Mode = ChannelMode.Digital, Fading = FadingModel.Rayleigh, Csi = CsiMode.PilotEstimate }.Validate();
    }

    [Fact]
    public void Transmitting_with_invalid_settings_throws_before_sending()
    {
        var error = Assert.Throws<ArgumentException>(() => WirelessChannel.TransmitBytes([1, 2, 3], new ChannelSettings { SnrDb = -60 }, seed: 1));

        Assert.Equal("SnrDb", error.ParamName);
    }
}
