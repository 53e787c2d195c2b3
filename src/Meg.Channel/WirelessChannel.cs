using Meg.Channel.Analog;
using Meg.Channel.Capacity;
using Meg.Channel.Digital;

namespace Meg.Channel;

/// <summary>
/// Sends a payload over the emulated wireless link described by <see cref="ChannelSettings"/> and returns what the
/// receiver decoded, with the cost. Stateless and thread-safe; every random draw comes from <c>seed</c>, so the same
/// payload, settings and seed give the same result bit for bit.
/// </summary>
public static class WirelessChannel
{
    /// <summary>
    /// Sends floats. Analog: the values themselves, two per complex symbol. Digital: quantized to
    /// <see cref="ChannelSettings.QuantizationBits"/> (range sent as side information), then modulated.
    /// Capacity: the quantized bits arrive intact or, on outage, are lost (all zeros).
    /// </summary>
    /// <exception cref="ArgumentException">Invalid settings or a NaN/infinite value in the payload.</exception>
    public static TransferResult<float[]> TransmitFloats(ReadOnlySpan<float> payload, ChannelSettings settings, ulong seed)
    {
        ArgumentNullException.ThrowIfNull(settings);
        settings.Validate();
        if (settings.Mode is ChannelMode.Analog or ChannelMode.Noiseless)
        {
            // Every element is overwritten, so skip zeroing a possibly large array.
            float[] received = GC.AllocateUninitializedArray<float>(payload.Length);
            AnalogReport report = AnalogTransmission.Transmit(payload, received, settings, seed);
            return AnalogResult(received, payload.Length, report, settings);
        }

        if (payload.IsEmpty)
        {
            // Nothing to quantize, so no side information either.
            return new TransferResult<float[]> { Received = [], Accounting = TransferAccounting.Create(0, 0, 0, 0, 0, settings) };
        }

        int bitsPerValue = settings.QuantizationBits;
        var levels = new ushort[payload.Length];
        QuantizationRange range = UniformQuantizer.Quantize(payload, bitsPerValue, levels);
        long payloadBits = (long)bitsPerValue * payload.Length;
        RequireFits(payloadBits + UniformQuantizer.SideInfoBits);
        var bits = new byte[UniformQuantizer.SideInfoBits + payloadBits];
        WriteRange(range, bits.AsSpan(0, UniformQuantizer.SideInfoBits));
        BitPacking.LevelsToBits(levels, bitsPerValue, bits.AsSpan(UniformQuantizer.SideInfoBits));

        var values = new float[payload.Length];
        if (settings.Mode == ChannelMode.Capacity)
        {
            CapacityLink.Outcome capacity = CapacityLink.Send(bits.Length, settings, seed);
            if (capacity.BlocksInOutage == 0)
            {
                UniformQuantizer.Dequantize(levels, bitsPerValue, range, values);
            }

            return CapacityResult(values, payload.Length, bits.Length, UniformQuantizer.SideInfoBits, capacity, settings);
        }

        DigitalLink.Outcome outcome = DigitalLink.Send(bits, settings, seed);

        // The range is taken as received intact (see UniformQuantizer); errors count over the payload bits only.
        ReadOnlySpan<byte> receivedPayload = outcome.Bits.AsSpan(UniformQuantizer.SideInfoBits);
        long errors = CountErrors(bits.AsSpan(UniformQuantizer.SideInfoBits), receivedPayload);
        var receivedLevels = new ushort[payload.Length];
        BitPacking.BitsToLevels(receivedPayload, bitsPerValue, receivedLevels);
        UniformQuantizer.Dequantize(receivedLevels, bitsPerValue, range, values);
        return DigitalResult(values, payload.Length, bits.Length, UniformQuantizer.SideInfoBits, payloadBits, errors, outcome, settings);
    }

    /// <summary>
    /// Sends bytes (raw pixels or a compressed file). Analog: each byte is one real value, centred on 127.5 because a
    /// constant offset would spend power without carrying information, then rounded and clamped to 0..255 at the
    /// receiver. Digital: 8 bits per byte, most significant first. Capacity: intact or, on outage, all zeros.
    /// </summary>
    /// <exception cref="ArgumentException">Invalid settings.</exception>
    public static TransferResult<byte[]> TransmitBytes(ReadOnlySpan<byte> payload, ChannelSettings settings, ulong seed)
    {
        ArgumentNullException.ThrowIfNull(settings);
        settings.Validate();
        var received = new byte[payload.Length];
        if (settings.Mode is ChannelMode.Analog or ChannelMode.Noiseless)
        {
            var values = new float[payload.Length];
            for (int i = 0; i < payload.Length; i++)
            {
                values[i] = payload[i] - 127.5f;
            }

            AnalogReport report = AnalogTransmission.Transmit(values, values, settings, seed);
            for (int i = 0; i < values.Length; i++)
            {
                received[i] = (byte)Math.Clamp(MathF.Round(values[i] + 127.5f), 0f, 255f);
            }

            return AnalogResult(received, payload.Length, report, settings);
        }

        long payloadBits = 8L * payload.Length;
        RequireFits(payloadBits);
        if (settings.Mode == ChannelMode.Capacity)
        {
            CapacityLink.Outcome capacity = CapacityLink.Send(payloadBits, settings, seed);
            if (capacity.BlocksInOutage == 0)
            {
                payload.CopyTo(received);
            }

            return CapacityResult(received, payload.Length, payloadBits, 0, capacity, settings);
        }

        var bits = new byte[payloadBits];
        BitPacking.BytesToBits(payload, bits);
        DigitalLink.Outcome outcome = DigitalLink.Send(bits, settings, seed);
        BitPacking.BitsToBytes(outcome.Bits, received);
        long errors = CountErrors(bits, outcome.Bits);
        return DigitalResult(received, payload.Length, payloadBits, 0, payloadBits, errors, outcome, settings);
    }

    private static TransferResult<T> AnalogResult<T>(T received, long values, AnalogReport report, ChannelSettings settings) => new()
    {
        Received = received,
        Accounting = TransferAccounting.Create(values, 0, 0, report.ChannelUses, report.PilotChannelUses, settings),
        MeasuredSnrDb = report.MeasuredSnrDb,
    };

    private static TransferResult<T> CapacityResult<T>(T received, long values, long bits, long sideInfoBits,
        CapacityLink.Outcome outcome, ChannelSettings settings) => new()
    {
        Received = received,
        Accounting = TransferAccounting.Create(values, bits, sideInfoBits, outcome.ChannelUses, 0, settings),
        Outage = outcome.BlocksInOutage > 0,
    };

    private static TransferResult<T> DigitalResult<T>(T received, long values, long bits, long sideInfoBits, long payloadBits,
        long errors, DigitalLink.Outcome outcome, ChannelSettings settings) => new()
    {
        Received = received,
        Accounting = TransferAccounting.Create(values, bits, sideInfoBits, outcome.ChannelUses, outcome.PilotChannelUses, settings),
        BitErrors = errors,
        BitErrorRate = payloadBits > 0 ? (double)errors / payloadBits : 0,
    };

    private static void WriteRange(QuantizationRange range, Span<byte> bits)
    {
        Span<byte> bytes = stackalloc byte[8];
        BitConverter.TryWriteBytes(bytes, range.Min);
        BitConverter.TryWriteBytes(bytes[4..], range.Max);
        BitPacking.BytesToBits(bytes, bits);
    }

    private static long CountErrors(ReadOnlySpan<byte> sent, ReadOnlySpan<byte> received)
    {
        long errors = 0;
        for (int i = 0; i < sent.Length; i++)
        {
            errors += (sent[i] ^ received[i]) & 1;
        }

        return errors;
    }

    private static void RequireFits(long bits)
    {
        // Bits travel one per byte and coded bits double that; keep both within one array.
        if (2 * bits + 1024 > Array.MaxLength)
        {
            throw new ArgumentException($"The payload has {bits} bits; at most {(Array.MaxLength - 1024) / 2} fit one transfer. Split it.", "payload");
        }
    }
}
