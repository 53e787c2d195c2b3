using Meg.Channel.Fading;

namespace Meg.Channel.Digital;

/// <summary>
/// The digital chain for a bit stream: encode, interleave, pad to whole symbols, map, send over
/// <see cref="SymbolChannel"/>, demap, deinterleave, decode. Padding bits are zeros and are dropped at the receiver.
/// </summary>
internal static class DigitalLink
{
    /// <summary>Bits the receiver decoded, and the channel uses spent.</summary>
    public readonly record struct Outcome(byte[] Bits, long ChannelUses, long PilotChannelUses);

    public static Outcome Send(ReadOnlySpan<byte> infoBits, ChannelSettings settings, ulong seed)
    {
        Constellation constellation = Constellation.For(settings.Modulation);
        int bitsPerSymbol = constellation.BitsPerSymbol;

        long codedLength = settings.Coded ? ConvolutionalCode.EncodedLength(infoBits.Length) : infoBits.Length;
        long symbolCount = (codedLength + bitsPerSymbol - 1) / bitsPerSymbol;
        if (2 * symbolCount > Array.MaxLength)
        {
            throw new ArgumentException($"The payload needs {symbolCount} symbols, too many for one transfer; split it.", nameof(infoBits));
        }

        BlockInterleaver? interleaver = settings.UsesInterleaver
            ? new BlockInterleaver(settings.InterleaverRows, settings.InterleaverColumns)
            : null;

        // Transmitter. The array is sized for whole symbols so the padding bits are zeros.
        var airBits = new byte[symbolCount * bitsPerSymbol];
        Span<byte> streamBits = airBits.AsSpan(0, (int)codedLength);
        var coded = settings.Coded ? new byte[codedLength] : null;
        if (coded is not null)
        {
            ConvolutionalCode.Encode(infoBits, coded);
        }

        ReadOnlySpan<byte> toSend = coded ?? infoBits;
        if (interleaver is not null)
        {
            interleaver.Interleave(toSend, streamBits);
        }
        else
        {
            toSend.CopyTo(streamBits);
        }

        var symbols = new float[2 * symbolCount];
        constellation.Map(airBits, symbols);

        // Channel and equalizer.
        ReceivedSymbols received = SymbolChannel.Transmit(symbols, settings, seed);
        long channelUses = symbolCount + received.PilotSymbols;

        // Receiver.
        var decoded = new byte[infoBits.Length];
        if (!settings.Coded)
        {
            // Without a code, hard and max-log soft decisions are the same bits.
            var hard = new byte[airBits.Length];
            constellation.HardDemap(symbols, hard);
            Restore(hard.AsSpan(0, (int)codedLength), decoded, interleaver);
            return new Outcome(decoded, channelUses, received.PilotSymbols);
        }

        var llrs = new float[airBits.Length];
        if (settings.Demapping == DemappingMode.Soft)
        {
            SoftDemapByBlock(constellation, symbols, received, llrs);
        }
        else
        {
            var hard = new byte[airBits.Length];
            constellation.HardDemap(symbols, hard);
            for (int i = 0; i < hard.Length; i++)
            {
                llrs[i] = hard[i] == 0 ? 1f : -1f;
            }
        }

        var codedLlrs = new float[codedLength];
        Restore<float>(llrs.AsSpan(0, (int)codedLength), codedLlrs, interleaver);
        ViterbiDecoder.Decode(codedLlrs, decoded);
        return new Outcome(decoded, channelUses, received.PilotSymbols);
    }

    private static void Restore<T>(ReadOnlySpan<T> received, Span<T> target, BlockInterleaver? interleaver)
    {
        if (interleaver is not null)
        {
            interleaver.Deinterleave(received, target);
        }
        else
        {
            received.CopyTo(target);
        }
    }

    // Each fading block has its own |h|^2, so its LLRs get their own reliability.
    private static void SoftDemapByBlock(Constellation constellation, float[] symbols, ReceivedSymbols received, float[] llrs)
    {
        int bitsPerSymbol = constellation.BitsPerSymbol;
        int count = symbols.Length / 2;
        int perBlock = received.DataSymbolsPerBlock;
        for (int start = 0; start < count; start += perBlock)
        {
            int length = Math.Min(perBlock, count - start);
            constellation.SoftDemap(
                symbols.AsSpan(2 * start, 2 * length),
                received.Reliability(start),
                llrs.AsSpan(start * bitsPerSymbol, length * bitsPerSymbol));
        }
    }
}
