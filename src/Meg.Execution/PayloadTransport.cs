using System.Runtime.InteropServices;
using System.Text;
using Meg.Channel;
using Meg.Diffusion.Pipeline;
using Meg.Imaging;
using Meg.Protocols.Plans;

namespace Meg.Execution;

/// <summary>
/// Carries artifacts from one node's memory to another's through the channel emulator, in the form the
/// options ask for, and records what each crossing cost.
/// </summary>
public sealed class PayloadTransport(TransmissionOptions options)
{
    /// <summary>The prompt travels digitally with a strong code; this is its spectral efficiency (uncoded QPSK).</summary>
    public const double PromptBitsPerChannelUse = 2;

    public TransmissionOptions Options { get; } = options;

    /// <summary>The random seed of the noise transfer <paramref name="transferIndex"/> of a run draws (counting the plan's transfers
    /// from 0): each crossing has its own stream, so a rerun with <paramref name="channelRandomSeed"/> repeats exactly, in one
    /// process or through the channel emulator.</summary>
    public static ulong NoiseRandomSeed(ulong channelRandomSeed, int transferIndex) => channelRandomSeed * 0x9E3779B97F4A7C15UL + (ulong)transferIndex;

    /// <summary>Sends every artifact of <paramref name="transfer"/>; <paramref name="randomSeed"/> drives this crossing's noise.</summary>
    public TransferRecord Send(Transfer transfer, NodeMemory from, NodeMemory to, ulong randomSeed)
    {
        var records = new List<TransferRecord>();
        for (var i = 0; i < transfer.Artifacts.Count; i++)
        {
            var artifact = transfer.Artifacts[i];
            var (value, record) = Carry(transfer, artifact, from, randomSeed + (ulong)i * 0x632BE59BD9B4E019UL);
            to.Put(artifact, value, receivedOverAir: artifact.Kind != ArtifactKind.Prompt);
            records.Add(record);
        }

        return records.Count == 1 ? records[0] : Combine(transfer, records);
    }

    private (object Value, TransferRecord Record) Carry(Transfer transfer, Artifact artifact, NodeMemory from, ulong randomSeed) => artifact.Kind switch
    {
        ArtifactKind.Prompt => CarryPrompt(transfer, from.Get<string>(artifact)),
        ArtifactKind.InputImage or ArtifactKind.Image or ArtifactKind.Sketch => CarryImage(transfer, from.Get<RgbImage>(artifact), randomSeed),
        ArtifactKind.Latent or ArtifactKind.InputLatent => CarryLatent(transfer, from.Get<Latent>(artifact), randomSeed),
        _ => throw new InvalidOperationException($"The {artifact} cannot be transferred."),
    };

    private (object, TransferRecord) CarryPrompt(Transfer transfer, string prompt)
    {
        var bits = 8L * Encoding.UTF8.GetByteCount(prompt);
        var uses = (long)Math.Ceiling(bits / PromptBitsPerChannelUse);
        return (prompt, new TransferRecord(transfer, bits / 8, bits, uses, uses / Options.Channel.BandwidthHz));
    }

    private (object, TransferRecord) CarryLatent(Transfer transfer, Latent latent, ulong randomSeed)
    {
        // A noiseless channel is the analog path without noise: the channel itself hands back exactly what was sent.
        var channel = Options.ChannelFor(transfer.Link);
        var analog = channel.Mode is ChannelMode.Analog or ChannelMode.Noiseless;
        if (analog || Options.SeedForm == SeedForm.Quantized8)
        {
            var settings = Options.SeedForm == SeedForm.Quantized8 ? channel with { QuantizationBits = 8 } : channel;
            var result = WirelessChannel.TransmitFloats(latent.Data, settings, randomSeed);
            var bits = analog ? latent.Length * BitsPerValue() : result.Accounting.Bits;
            return (latent with { Data = result.Received }, Record(transfer, result, bits));
        }

        // Digital float32/float16: the IEEE bits themselves cross the link, so errors can hit exponents.
        var bytes = Options.SeedForm == SeedForm.Float16
            ? MemoryMarshal.AsBytes(latent.Data.Select(v => (Half)v).ToArray().AsSpan()).ToArray()
            : MemoryMarshal.AsBytes(latent.Data.AsSpan()).ToArray();
        var sent = WirelessChannel.TransmitBytes(bytes, channel, randomSeed);
        var values = Options.SeedForm == SeedForm.Float16
            ? MemoryMarshal.Cast<byte, Half>(sent.Received).ToArray().Select(h => (float)h).ToArray()
            : MemoryMarshal.Cast<byte, float>(sent.Received).ToArray();
        for (var i = 0; i < values.Length; i++)
        {
            // A receiver cannot feed NaN or infinity to a network; it zeroes them (the value is lost).
            if (!float.IsFinite(values[i]))
            {
                values[i] = 0;
            }
        }

        return (latent with { Data = values }, Record(transfer, sent, sent.Accounting.Bits) with { Values = latent.Length });
    }

    private (object, TransferRecord) CarryImage(Transfer transfer, RgbImage image, ulong randomSeed)
    {
        var channel = Options.ChannelFor(transfer.Link);
        if (channel.Mode is ChannelMode.Analog or ChannelMode.Noiseless || Options.ImageForm == ImageForm.RawPixels)
        {
            var raw = WirelessChannel.TransmitBytes(image.Pixels, channel, randomSeed);
            var received = new RgbImage(image.Width, image.Height, raw.Received);
            return (received, Record(transfer, raw, 8L * image.PlanarLength));
        }

        var file = Options.ImageForm == ImageForm.Png ? PngCodec.Encode(image) : JpegCodec.Encode(image, Options.JpegQuality);
        var sent = WirelessChannel.TransmitBytes(file, channel, randomSeed);
        var decoded = Options.ImageForm == ImageForm.Png
            ? PngCodec.TryDecode(sent.Received, out var png, out _) ? png : null
            : JpegCodec.TryDecode(sent.Received, out var jpeg, out _) ? jpeg : null;
        if (decoded is null || decoded.Width != image.Width || decoded.Height != image.Height)
        {
            // What a receiver shows when the file is unreadable: nothing, here mid-grey.
            return (RgbImage.Filled(image.Width, image.Height, new Rgb(128, 128, 128)), Record(transfer, sent, sent.Accounting.Bits) with { DecodeFailed = true });
        }

        return (decoded, Record(transfer, sent, sent.Accounting.Bits));
    }

    private int BitsPerValue() => Options.SeedForm switch
    {
        SeedForm.Float16 => 16,
        SeedForm.Quantized8 => 8,
        _ => 32,
    };

    private static TransferRecord Record<T>(Transfer transfer, TransferResult<T> result, long bits) => new(
        transfer,
        result.Accounting.Values,
        bits,
        result.Accounting.ChannelUses,
        result.Accounting.AirtimeSeconds,
        result.BitErrors,
        result.Outage,
        // A noiseless crossing measures an infinite SNR; the record says "none measured" so it serializes everywhere.
        MeasuredSnrDb: result.MeasuredSnrDb is { } snr && double.IsFinite(snr) ? snr : null);

    private static TransferRecord Combine(Transfer transfer, IReadOnlyList<TransferRecord> parts) => new(
        transfer,
        parts.Sum(p => p.Values),
        parts.Sum(p => p.Bits),
        parts.Sum(p => p.ChannelUses),
        parts.Sum(p => p.AirtimeSeconds),
        parts.Any(p => p.BitErrors.HasValue) ? parts.Sum(p => p.BitErrors ?? 0) : null,
        parts.Any(p => p.Outage),
        parts.Any(p => p.DecodeFailed),
        parts.Select(p => p.MeasuredSnrDb).FirstOrDefault(s => s.HasValue));
}
