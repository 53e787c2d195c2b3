using System.Runtime.InteropServices;
using System.Text;
using Meg.Channel;
using Meg.Channel.Analog;
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
    /// <summary>The prompt travels digitally with a strong code (<see cref="PromptChannel"/>): rate-1/2 coded QPSK, one
    /// information bit per channel use, plus the code's tail (<see cref="Meg.Channel.Digital.ConvolutionalCode.TailBits"/> per codeword).</summary>
    public const double PromptBitsPerChannelUse = 1;

    public TransmissionOptions Options { get; } = options;

    /// <summary>The random seed of the noise transfer <paramref name="transferIndex"/> of a run draws (counting the plan's transfers
    /// from 0): each crossing has its own stream, so a rerun with <paramref name="channelRandomSeed"/> repeats exactly, in one
    /// process or through the channel emulator.</summary>
    public static ulong NoiseRandomSeed(ulong channelRandomSeed, int transferIndex) => channelRandomSeed * 0x9E3779B97F4A7C15UL + (ulong)transferIndex;

    /// <summary>
    /// The fixed, robust digital setting the prompt (and an image's side information) crosses <paramref name="link"/>
    /// with: QPSK, the rate-1/2 convolutional code, soft demapping, no interleaver, at the link's SNR, fading and CSI.
    /// A noiseless link gives the same accounting without fading or noise.
    /// </summary>
    public static ChannelSettings PromptChannel(ChannelSettings link)
    {
        ArgumentNullException.ThrowIfNull(link);
        var noiseless = link.Mode == ChannelMode.Noiseless;
        return link with
        {
            Mode = ChannelMode.Digital,
            Modulation = Modulation.Qpsk,
            Coded = true,
            Demapping = DemappingMode.Soft,
            InterleaverRows = 0,
            InterleaverColumns = 0,
            Fading = noiseless ? FadingModel.None : link.Fading,
            SnrDb = noiseless ? ChannelSettings.MaxSnrDb : link.SnrDb,
        };
    }

    /// <summary>Sends every artifact of <paramref name="transfer"/>; <paramref name="randomSeed"/> drives this crossing's noise.</summary>
    public TransferRecord Send(Transfer transfer, NodeMemory from, NodeMemory to, ulong randomSeed)
    {
        var records = new List<TransferRecord>();
        for (var i = 0; i < transfer.Artifacts.Count; i++)
        {
            var artifact = transfer.Artifacts[i];
            var (value, record) = Carry(transfer, artifact, from, randomSeed + (ulong)i * 0x632BE59BD9B4E019UL);
            if (Options.UeIgnoresReceivedSketch && artifact.Kind == ArtifactKind.Sketch && transfer.To.IsUserEquipment && value is RgbImage sketch)
            {
                value = RgbImage.Filled(sketch.Width, sketch.Height, new Rgb(128, 128, 128));
            }

            to.Put(artifact, value, receivedOverAir: artifact.Kind != ArtifactKind.Prompt);
            records.Add(record);
        }

        return records.Count == 1 ? records[0] : Combine(transfer, records);
    }

    private (object Value, TransferRecord Record) Carry(Transfer transfer, Artifact artifact, NodeMemory from, ulong randomSeed) => artifact.Kind switch
    {
        ArtifactKind.Prompt => CarryPrompt(transfer, from.Get<string>(artifact), randomSeed),
        ArtifactKind.InputImage or ArtifactKind.Image or ArtifactKind.Sketch => CarryImage(transfer, artifact, from.Get<RgbImage>(artifact), randomSeed),
        ArtifactKind.Latent or ArtifactKind.InputLatent => CarryLatent(transfer, from.Get<Latent>(artifact), randomSeed),
        _ => throw new InvalidOperationException($"The {artifact} cannot be transferred."),
    };

    private (object, TransferRecord) CarryPrompt(Transfer transfer, string prompt, ulong randomSeed)
    {
        var link = Options.ChannelFor(transfer.Link);
        var settings = PromptChannel(link);
        var bytes = Encoding.UTF8.GetBytes(prompt);
        if (link.Mode == ChannelMode.Noiseless || bytes.Length == 0)
        {
            var uses = ChannelUseCount.ForDigital(8L * bytes.Length, settings);
            return (prompt, new TransferRecord(transfer, bytes.Length, 8L * bytes.Length, uses, uses / settings.BandwidthHz));
        }

        // Bit errors reach the text encoder: invalid UTF-8 becomes U+FFFD, as any receiver's decoder would make it.
        var sent = WirelessChannel.TransmitBytes(bytes, settings, randomSeed);
        return (Encoding.UTF8.GetString(sent.Received), Record(transfer, sent, sent.Accounting.Bits));
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

    private (object, TransferRecord) CarryImage(Transfer transfer, Artifact artifact, RgbImage image, ulong randomSeed)
    {
        RequireDefined(Options.ImageForm, nameof(TransmissionOptions.ImageForm));
        RequireDefined(Options.ImageDenoiser, nameof(TransmissionOptions.ImageDenoiser));
        var channel = Options.ChannelFor(transfer.Link);
        if (channel.Mode is ChannelMode.Analog or ChannelMode.Noiseless)
        {
            return CarryImageAnalog(transfer, artifact, image, PlanesToSend(artifact, image), channel, randomSeed);
        }

        if (Options.ImageForm is ImageForm.RawPixels or ImageForm.MeanRemoved)
        {
            var planes = PlanesToSend(artifact, image);
            var raw = WirelessChannel.TransmitBytes(PlaneBytes(image, planes), channel, randomSeed);
            return (FromPlanes(image.Width, image.Height, raw.Received, planes), Record(transfer, raw, raw.Accounting.Bits));
        }

        // JPEG is for generated pictures; the user's drawing and sketches go losslessly, as a real sender would.
        var png = Options.ImageForm == ImageForm.Png || artifact.Kind != ArtifactKind.Image;
        var file = png ? PngCodec.Encode(image) : JpegCodec.Encode(image, Options.JpegQuality);
        var sent = WirelessChannel.TransmitBytes(file, channel, randomSeed);
        var decoded = png
            ? PngCodec.TryDecode(sent.Received, out var lossless, out _) ? lossless : null
            : JpegCodec.TryDecode(sent.Received, out var jpeg, out _) ? jpeg : null;
        if (decoded is null || decoded.Width != image.Width || decoded.Height != image.Height)
        {
            // What a receiver shows when the file is unreadable: nothing, here mid-grey.
            return (RgbImage.Filled(image.Width, image.Height, new Rgb(128, 128, 128)), Record(transfer, sent, sent.Accounting.Bits) with { DecodeFailed = true });
        }

        return (decoded, Record(transfer, sent, sent.Accounting.Bits));
    }

    /// <summary>Colour planes an image goes as: one for a sketch whose planes are equal (a greyscale drawing), else three.
    /// Like the width and height, the plane count is framing the receiver knows; it is not counted.</summary>
    private static int PlanesToSend(Artifact artifact, RgbImage image)
    {
        ArgumentNullException.ThrowIfNull(image);
        return artifact.Kind == ArtifactKind.Sketch && IsGrey(image) ? 1 : 3;
    }

    // Each value is one real number, offset by its plane's RawPixels centre (127.5) or mean, so the channel's power
    // normalization spends the power on the variation. RawPixels without a denoiser gives exactly WirelessChannel.TransmitBytes.
    private (object, TransferRecord) CarryImageAnalog(Transfer transfer, Artifact artifact, RgbImage image, int planes, ChannelSettings channel, ulong randomSeed)
    {
        var bytes = PlaneBytes(image, planes);
        var offsets = new float[planes];
        long sideInfoBits = 0;
        if (Options.ImageForm == ImageForm.MeanRemoved)
        {
            var sums = new long[planes];
            for (var i = 0; i < bytes.Length; i++)
            {
                sums[i % planes] += bytes[i];
            }

            // A whole-number mean fits one byte, and sender and receiver use the same one.
            for (var c = 0; c < planes; c++)
            {
                offsets[c] = (float)Math.Round((double)sums[c] * planes / bytes.Length);
            }

            sideInfoBits = 8L * planes;
        }
        else
        {
            Array.Fill(offsets, 127.5f);
        }

        var values = new float[bytes.Length];
        for (var i = 0; i < bytes.Length; i++)
        {
            values[i] = bytes[i] - offsets[i % planes];
        }

        var report = AnalogTransmission.Transmit(values, values, channel, randomSeed);
        if (Options.ImageDenoiser == ImageDenoiser.Wiener && channel.Mode == ChannelMode.Analog && Options.NoisyLinks.Contains(transfer.Link)
            && artifact.Kind is ArtifactKind.Image or ArtifactKind.InputImage)
        {
            // The receiver de-normalizes with the sent power, so it knows the noise on each value.
            WienerFilter.FilterInterleaved(values, image.Width, image.Height, planes, report.NoiseVariance);
        }

        var received = new byte[bytes.Length];
        for (var i = 0; i < received.Length; i++)
        {
            received[i] = (byte)Math.Clamp(MathF.Round(values[i] + offsets[i % planes]), 0f, 255f);
        }

        // The means cross the link digitally with the prompt's setting; like the quantizer's range they are taken as received intact.
        var uses = report.ChannelUses + (sideInfoBits > 0 ? ChannelUseCount.ForDigital(sideInfoBits, PromptChannel(channel)) : 0);
        return (FromPlanes(image.Width, image.Height, received, planes), new TransferRecord(
            transfer,
            bytes.Length,
            8L * bytes.Length + sideInfoBits,
            uses,
            uses / channel.BandwidthHz,
            MeasuredSnrDb: double.IsFinite(report.MeasuredSnrDb) ? report.MeasuredSnrDb : null));
    }

    private static bool IsGrey(RgbImage image)
    {
        var p = image.Pixels;
        for (var i = 0; i < p.Length; i += 3)
        {
            if (p[i] != p[i + 1] || p[i] != p[i + 2])
            {
                return false;
            }
        }

        return true;
    }

    // Interleaved RGB bytes, or for one plane the first channel of each pixel.
    private static byte[] PlaneBytes(RgbImage image, int planes)
    {
        if (planes == 3)
        {
            return image.ToArray();
        }

        var p = image.Pixels;
        var grey = new byte[p.Length / 3];
        for (var i = 0; i < grey.Length; i++)
        {
            grey[i] = p[3 * i];
        }

        return grey;
    }

    private static RgbImage FromPlanes(int width, int height, byte[] received, int planes)
    {
        if (planes == 3)
        {
            return new RgbImage(width, height, received);
        }

        var rgb = new byte[3 * received.Length];
        for (var i = 0; i < received.Length; i++)
        {
            rgb[3 * i] = rgb[3 * i + 1] = rgb[3 * i + 2] = received[i];
        }

        return new RgbImage(width, height, rgb);
    }

    private static void RequireDefined<T>(T value, string name)
        where T : struct, Enum
    {
        if (!Enum.IsDefined(value))
        {
            throw new ArgumentException($"{name} must be one of {string.Join(", ", Enum.GetNames<T>())} (got {value}).", name);
        }
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
