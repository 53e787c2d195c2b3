using Meg.Channel.Fading;
using Meg.Channel.Randomness;

namespace Meg.Channel.Analog;

/// <summary>
/// Uncoded analog transmission: values (v0, v1) form the complex symbol v0 + j v1, the payload is scaled to unit
/// average power per complex symbol, sent over the channel, equalized, and scaled back. Noise therefore lands on
/// the payload at the configured SNR relative to the payload's own power.
/// </summary>
public static class AnalogTransmission
{
    /// <summary>
    /// Sends <paramref name="input"/> and writes what the receiver gets into <paramref name="output"/> (same length;
    /// may be the same buffer). Works for <see cref="ChannelMode.Analog"/> and <see cref="ChannelMode.Noiseless"/>.
    /// </summary>
    /// <exception cref="ArgumentException">Invalid settings, another mode, mismatched lengths, or a NaN/infinite value.</exception>
    public static AnalogReport Transmit(ReadOnlySpan<float> input, Span<float> output, ChannelSettings settings, ulong seed)
    {
        ArgumentNullException.ThrowIfNull(settings);
        settings.Validate();
        if (settings.Mode is not (ChannelMode.Analog or ChannelMode.Noiseless))
        {
            throw new ArgumentException($"Analog transmission needs Mode Analog or Noiseless (got {settings.Mode}).", nameof(settings));
        }

        if (input.Length != output.Length)
        {
            throw new ArgumentException($"output has {output.Length} values but input has {input.Length}; they must match.", nameof(output));
        }

        if (settings.Mode == ChannelMode.Noiseless)
        {
            // Every copy of a noiseless pipe is exact: count the repetitions without making them.
            var once = TransmitOnce(input, output, settings, seed);
            return once with { ChannelUses = once.ChannelUses * settings.Repetitions };
        }

        return settings.Repetitions == 1 ? TransmitOnce(input, output, settings, seed) : TransmitRepeated(input, output, settings, seed);
    }

    /// <summary>Sends <see cref="ChannelSettings.Repetitions"/> copies, each with its own noise and fading, and averages
    /// what arrives: the channel uses add up, the measured SNR is the copies' mean.</summary>
    private static AnalogReport TransmitRepeated(ReadOnlySpan<float> input, Span<float> output, ChannelSettings settings, ulong seed)
    {
        var sent = input.ToArray(); // output may be the input's buffer
        var copy = new float[sent.Length];
        var sum = new double[sent.Length];
        long uses = 0, pilots = 0;
        double signalOverNoise = 0, noiseVariance = 0;
        for (var k = 0; k < settings.Repetitions; k++)
        {
            var report = TransmitOnce(sent, copy, settings, SeedStreams.Repetition(seed, k));
            for (var i = 0; i < copy.Length; i++)
            {
                sum[i] += copy[i];
            }

            uses += report.ChannelUses;
            pilots += report.PilotChannelUses;
            signalOverNoise += Math.Pow(10, report.MeasuredSnrDb / 10);
            noiseVariance = report.NoiseVariance; // the same for every copy: the same payload and SNR
        }

        for (var i = 0; i < output.Length; i++)
        {
            output[i] = (float)(sum[i] / settings.Repetitions);
        }

        return new AnalogReport(uses, pilots, 10 * Math.Log10(signalOverNoise / settings.Repetitions), noiseVariance / settings.Repetitions);
    }

    private static AnalogReport TransmitOnce(ReadOnlySpan<float> input, Span<float> output, ChannelSettings settings, ulong seed)
    {
        long symbols = ((long)input.Length + 1) / 2;
        if (symbols == 0)
        {
            return new AnalogReport(0, 0, double.NaN);
        }

        double energy = SignalEnergy.SumOfSquares(input, nameof(input));
        double power = energy / symbols;

        // An all-zero payload has nothing to normalize; it is sent as is.
        float scale = power > 0 ? (float)(1 / Math.Sqrt(power)) : 1f;
        float unscale = power > 0 ? (float)Math.Sqrt(power) : 1f;
        // N0/2 per real dimension of a unit-power symbol, scaled back to the payload's power (the average on a faded link).
        double noiseVariance = settings.NoiseVariance / 2 * (power > 0 ? power : 1);

        if (settings.Mode == ChannelMode.Noiseless)
        {
            // An ideal pipe returns exactly what was sent: scaling there and back could change the last bit.
            input.CopyTo(output);
            return new AnalogReport(symbols, 0, double.PositiveInfinity);
        }

        if (!settings.IsFaded)
        {
            // Normalize, add noise and denormalize in one pass over memory.
            float noiseStdDev = (float)Math.Sqrt(settings.NoiseVariance / 2);
            double noise = GaussianNoise.ScaleAndAdd(input, output, scale, noiseStdDev, unscale, SeedStreams.Noise(seed));
            double signal = energy * scale * scale;
            return new AnalogReport(symbols, 0, 10 * Math.Log10(signal / noise), noiseVariance);
        }

        // An odd count leaves the last symbol's imaginary part at 0.
        var buffer = new float[2 * symbols];
        for (int i = 0; i < input.Length; i++)
        {
            buffer[i] = input[i] * scale;
        }

        ReceivedSymbols received = SymbolChannel.Transmit(buffer, settings, seed);
        for (int i = 0; i < output.Length; i++)
        {
            output[i] = buffer[i] * unscale;
        }

        return new AnalogReport(symbols + received.PilotSymbols, received.PilotSymbols,
            10 * Math.Log10(received.SignalEnergy / received.NoiseEnergy), noiseVariance);
    }
}
