using Meg.Channel.Digital;

namespace Meg.Channel.Tests;

public class AccountingTests
{
    [Fact]
    public void Analog_uses_one_channel_use_per_two_values_and_sends_no_bits()
    {
        float[] payload = new float[1001];
        var settings = new ChannelSettings { BandwidthHz = 2e6 };

        TransferAccounting accounting = WirelessChannel.TransmitFloats(payload, settings, seed: 1).Accounting;

        Assert.Equal(1001, accounting.Values);
        Assert.Equal(0, accounting.Bits);
        Assert.Equal(501, accounting.ChannelUses);
        Assert.Equal(501 / 2e6, accounting.AirtimeSeconds, 1e-15);
    }

    [Theory]
    [InlineData(Modulation.Bpsk, 8, false)]
    [InlineData(Modulation.Qpsk, 8, true)]
    [InlineData(Modulation.Qam16, 16, true)]
    [InlineData(Modulation.Qam64, 16, false)]
    public void Digital_floats_count_side_info_code_rate_tail_and_padding(Modulation modulation, int quantization, bool coded)
    {
        int values = 3000;
        var settings = new ChannelSettings
        {
            Mode = ChannelMode.Digital, Modulation = modulation, QuantizationBits = quantization, Coded = coded, SnrDb = 30,
        };

        TransferAccounting accounting = WirelessChannel.TransmitFloats(new float[values], settings, seed: 1).Accounting;

        long bits = (long)values * quantization + 64;
        long codewords = (bits + 8191) / 8192;
        long airBits = coded ? 2 * (bits + 6 * codewords) : bits;
        int perSymbol = modulation switch { Modulation.Bpsk => 1, Modulation.Qpsk => 2, Modulation.Qam16 => 4, _ => 6 };
        long uses = (airBits + perSymbol - 1) / perSymbol;
        Assert.Equal(values, accounting.Values);
        Assert.Equal(bits, accounting.Bits);
        Assert.Equal(64, accounting.SideInfoBits);
        Assert.Equal(uses, accounting.ChannelUses);
        Assert.Equal(uses / 1e6, accounting.AirtimeSeconds, 1e-15);
        Assert.Equal(uses, ChannelUseCount.ForDigital(bits, settings));
    }

    [Fact]
    public void Pilots_are_counted_per_started_fading_block()
    {
        byte[] payload = new byte[1000]; // 8000 bits, coded: 2 * (8000 + 6) = 16012 bits, 8006 QPSK symbols
        var settings = new ChannelSettings
        {
            Mode = ChannelMode.Digital, Modulation = Modulation.Qpsk, Coded = true, Fading = FadingModel.Rayleigh,
            FadingBlockLength = 50, Csi = CsiMode.PilotEstimate, PilotsPerBlock = 5, SnrDb = 20,
        };

        TransferAccounting accounting = WirelessChannel.TransmitBytes(payload, settings, seed: 1).Accounting;

        long blocks = (8006 + 44) / 45;
        Assert.Equal(8000, accounting.Bits);
        Assert.Equal(0, accounting.SideInfoBits);
        Assert.Equal(blocks * 5, accounting.PilotChannelUses);
        Assert.Equal(8006 + blocks * 5, accounting.ChannelUses);
    }

    [Fact]
    public void Capacity_mode_uses_bits_over_rate()
    {
        var settings = new ChannelSettings { Mode = ChannelMode.Capacity, CapacityRate = 2.5, QuantizationBits = 16, SnrDb = 20 };

        TransferAccounting accounting = WirelessChannel.TransmitFloats(new float[999], settings, seed: 1).Accounting;

        long bits = 999 * 16 + 64;
        Assert.Equal(bits, accounting.Bits);
        Assert.Equal((long)Math.Ceiling(bits / 2.5), accounting.ChannelUses);
    }

    [Theory]
    [InlineData(ChannelMode.Analog)]
    [InlineData(ChannelMode.Digital)]
    [InlineData(ChannelMode.Capacity)]
    public void An_empty_payload_costs_nothing(ChannelMode mode)
    {
        var settings = new ChannelSettings { Mode = mode };

        TransferResult<float[]> floats = WirelessChannel.TransmitFloats([], settings, seed: 1);
        TransferResult<byte[]> bytes = WirelessChannel.TransmitBytes([], settings, seed: 1);

        Assert.Empty(floats.Received);
        Assert.Empty(bytes.Received);
        Assert.Equal(0, floats.Accounting.ChannelUses + floats.Accounting.Bits);
        Assert.Equal(0, bytes.Accounting.ChannelUses + bytes.Accounting.Bits);
    }

    [Fact]
    public void Encoded_length_adds_a_tail_per_codeword()
    {
        Assert.Equal(2 * (100 + 6), ConvolutionalCode.EncodedLength(100));
        Assert.Equal(2 * (8193 + 12), ConvolutionalCode.EncodedLength(8193));
    }
}
