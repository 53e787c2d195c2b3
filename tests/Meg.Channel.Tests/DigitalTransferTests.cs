using Meg.Channel.Digital;

namespace Meg.Channel.Tests;

public class DigitalTransferTests
{
    [Theory]
    [InlineData(Modulation.Bpsk, false)]
    [InlineData(Modulation.Qpsk, true)]
    [InlineData(Modulation.Qam16, true)]
    [InlineData(Modulation.Qam64, false)]
    public void Bytes_arrive_intact_at_high_snr(Modulation modulation, bool coded)
    {
        byte[] payload = TestPayloads.Bytes(3000, seed: 1);
        var settings = new ChannelSettings { Mode = ChannelMode.Digital, Modulation = modulation, Coded = coded, SnrDb = 40 };

        TransferResult<byte[]> result = WirelessChannel.TransmitBytes(payload, settings, seed: 2);

        Assert.Equal(payload, result.Received);
        Assert.Equal(0, result.BitErrors);
    }

    [Fact]
    public void Bit_errors_flow_into_the_payload_and_are_counted()
    {
        byte[] payload = TestPayloads.Bytes(20_000, seed: 3);
        var settings = new ChannelSettings { Mode = ChannelMode.Digital, Modulation = Modulation.Qam16, Coded = false, SnrDb = 10 };

        TransferResult<byte[]> result = WirelessChannel.TransmitBytes(payload, settings, seed: 4);

        long differing = 0;
        for (int i = 0; i < payload.Length; i++)
        {
            differing += System.Numerics.BitOperations.PopCount((uint)(payload[i] ^ result.Received[i]));
        }

        Assert.True(result.BitErrors > 100, $"expected errors at 10 dB, got {result.BitErrors}");
        Assert.Equal(differing, result.BitErrors);
        Assert.Equal((double)differing / (8 * payload.Length), result.BitErrorRate);
    }

    [Theory]
    [InlineData(8)]
    [InlineData(16)]
    public void Quantized_floats_arrive_within_half_a_step_when_no_bit_is_wrong(int bits)
    {
        float[] payload = TestPayloads.Gaussian(5000, seed: 5, stdDev: 2);
        var settings = new ChannelSettings { Mode = ChannelMode.Digital, QuantizationBits = bits, SnrDb = 30 };

        TransferResult<float[]> result = WirelessChannel.TransmitFloats(payload, settings, seed: 6);

        double halfStep = (payload.Max() - payload.Min()) / (2.0 * ((1 << bits) - 1));
        Assert.Equal(0, result.BitErrors);
        Assert.All(payload.Zip(result.Received), pair => Assert.InRange(Math.Abs(pair.First - pair.Second), 0, halfStep * 1.001 + 1e-6));
    }

    [Fact]
    public void Coding_and_interleaving_beat_uncoded_on_block_fading()
    {
        byte[] payload = TestPayloads.Bytes(8000, seed: 7);
        var uncoded = new ChannelSettings
        {
            Mode = ChannelMode.Digital, Modulation = Modulation.Qpsk, Coded = false, SnrDb = 14,
            Fading = FadingModel.Rayleigh, FadingBlockLength = 16,
        };
        var coded = uncoded with { Coded = true, InterleaverRows = 64, InterleaverColumns = 128 };

        long uncodedErrors = WirelessChannel.TransmitBytes(payload, uncoded, seed: 8).BitErrors!.Value;
        long codedErrors = WirelessChannel.TransmitBytes(payload, coded, seed: 8).BitErrors!.Value;

        Assert.True(uncodedErrors > 100, $"uncoded errors {uncodedErrors}");
        Assert.True(codedErrors * 10 < uncodedErrors, $"coded {codedErrors} vs uncoded {uncodedErrors}");
    }

    [Fact]
    public void Pilot_estimated_csi_decodes_a_faded_coded_link()
    {
        byte[] payload = TestPayloads.Bytes(4000, seed: 9);
        var settings = new ChannelSettings
        {
            Mode = ChannelMode.Digital, Modulation = Modulation.Qam16, SnrDb = 25, Fading = FadingModel.Rician, RicianK = 10,
            FadingBlockLength = 100, Csi = CsiMode.PilotEstimate, PilotsPerBlock = 8,
        };

        TransferResult<byte[]> result = WirelessChannel.TransmitBytes(payload, settings, seed: 10);

        Assert.Equal(payload, result.Received);
        Assert.True(result.Accounting.PilotChannelUses > 0);
    }

    [Fact]
    public void Hard_demapping_loses_to_soft_demapping_in_front_of_the_decoder()
    {
        byte[] payload = TestPayloads.Bytes(30_000, seed: 11);
        var soft = new ChannelSettings { Mode = ChannelMode.Digital, Modulation = Modulation.Qpsk, Coded = true, SnrDb = 2 };
        var hard = soft with { Demapping = DemappingMode.Hard };

        long softErrors = WirelessChannel.TransmitBytes(payload, soft, seed: 12).BitErrors!.Value;
        long hardErrors = WirelessChannel.TransmitBytes(payload, hard, seed: 12).BitErrors!.Value;

        Assert.True(hardErrors > 2 * softErrors + 10, $"hard {hardErrors} vs soft {softErrors}");
    }
}
