using Meg.Channel.Digital;

namespace Meg.Channel;

/// <summary>
/// Complex channel uses a transfer will take, without sending it: the same formulas the transfers account with.
/// </summary>
public static class ChannelUseCount
{
    /// <summary>Analog: ceil(values / 2), plus pilots, for each of the <see cref="ChannelSettings.Repetitions"/> copies.</summary>
    public static long ForAnalog(long values, ChannelSettings settings) => settings.Repetitions * WithPilots((values + 1) / 2, settings);

    /// <summary>
    /// Digital: bits, doubled plus 12 tail bits per codeword when coded, padded to whole symbols of the modulation, plus pilots.
    /// </summary>
    public static long ForDigital(long bits, ChannelSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        long coded = settings.Coded ? ConvolutionalCode.EncodedLength(bits) : bits;
        int perSymbol = Constellation.BitsPer(settings.Modulation);
        return WithPilots((coded + perSymbol - 1) / perSymbol, settings);
    }

    /// <summary>Capacity mode: ceil(bits / CapacityRate); the ideal code needs no pilots.</summary>
    public static long ForCapacity(long bits, ChannelSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        return (long)Math.Ceiling(bits / settings.CapacityRate);
    }

    /// <summary>Pilot channel uses that go with <paramref name="dataSymbols"/> data symbols: PilotsPerBlock per started block.</summary>
    public static long PilotsFor(long dataSymbols, ChannelSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        int pilots = settings.EffectivePilotsPerBlock;
        if (pilots == 0)
        {
            return 0;
        }

        int dataPerBlock = settings.FadingBlockLength - pilots;
        return (dataSymbols + dataPerBlock - 1) / dataPerBlock * pilots;
    }

    private static long WithPilots(long dataSymbols, ChannelSettings settings) => dataSymbols + PilotsFor(dataSymbols, settings);
}
