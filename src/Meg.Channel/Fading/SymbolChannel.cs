using System.Runtime.CompilerServices;
using Meg.Channel.Analog;
using Meg.Channel.Randomness;

namespace Meg.Channel.Fading;

/// <summary>
/// Carries complex symbols (interleaved re, im; unit average power) over AWGN with optional block fading and
/// returns the receiver's equalized estimates in the same buffer. Shared by the analog and digital modes.
/// </summary>
internal static class SymbolChannel
{
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static ReceivedSymbols Transmit(Span<float> symbols, ChannelSettings settings, ulong seed)
    {
        int count = symbols.Length / 2;
        double noiseVariance = settings.NoiseVariance;
        float noiseStdDev = (float)Math.Sqrt(noiseVariance / 2);

        if (!settings.IsFaded)
        {
            double signal = SignalEnergy.SumOfSquares(symbols, nameof(symbols));
            double noise = GaussianNoise.ScaleAndAdd(symbols, symbols, 1f, noiseStdDev, 1f, SeedStreams.Noise(seed));
            return new ReceivedSymbols
            {
                NoiseVariance = noiseVariance,
                GainSquared = [1f],
                DataSymbolsPerBlock = Math.Max(count, 1),
                PilotSymbols = 0,
                SignalEnergy = signal,
                NoiseEnergy = noise,
            };
        }

        int pilots = settings.EffectivePilotsPerBlock;
        int dataPerBlock = settings.FadingBlockLength - pilots;
        int blocks = (int)(((long)count + dataPerBlock - 1) / dataPerBlock);
        float[] gains = BlockFading.DrawGains(blocks, settings, SeedStreams.FadingGains(seed));
        float[] noiseSamples = new float[symbols.Length];
        GaussianNoise.Fill(noiseSamples, SeedStreams.Noise(seed));
        float[] estimates = pilots > 0 ? EstimateGains(gains, pilots, noiseStdDev, SeedStreams.PilotNoise(seed)) : gains;

        var gainSquared = new float[blocks];
        double signalEnergy = 0, noiseEnergy = 0;
        for (int b = 0; b < blocks; b++)
        {
            float hRe = gains[2 * b], hIm = gains[2 * b + 1];
            float eRe = estimates[2 * b], eIm = estimates[2 * b + 1];
            float estimatePower = eRe * eRe + eIm * eIm;
            gainSquared[b] = estimatePower;

            // Zero-forcing: multiply by conj(e) / |e|^2. A zero estimate carries no information; send zeros on.
            float inverse = estimatePower > 0 ? 1f / estimatePower : 0f;
            int end = (int)Math.Min((long)(b + 1) * dataPerBlock, count);
            double blockSignal = 0, blockNoise = 0;
            for (int i = b * dataPerBlock; i < end; i++)
            {
                float sRe = symbols[2 * i], sIm = symbols[2 * i + 1];
                float nRe = noiseStdDev * noiseSamples[2 * i], nIm = noiseStdDev * noiseSamples[2 * i + 1];
                float rxRe = hRe * sRe - hIm * sIm;
                float rxIm = hRe * sIm + hIm * sRe;
                blockSignal += rxRe * rxRe + rxIm * rxIm;
                blockNoise += nRe * nRe + nIm * nIm;
                rxRe += nRe;
                rxIm += nIm;
                symbols[2 * i] = (rxRe * eRe + rxIm * eIm) * inverse;
                symbols[2 * i + 1] = (rxIm * eRe - rxRe * eIm) * inverse;
            }

            signalEnergy += blockSignal;
            noiseEnergy += blockNoise;
        }

        return new ReceivedSymbols
        {
            NoiseVariance = noiseVariance,
            GainSquared = gainSquared,
            DataSymbolsPerBlock = dataPerBlock,
            PilotSymbols = (long)blocks * pilots,
            SignalEnergy = signalEnergy,
            NoiseEnergy = noiseEnergy,
        };
    }

    // Least squares with pilot symbol 1 + 0j: the estimate is the mean received pilot, h + mean noise.
    private static float[] EstimateGains(float[] gains, int pilotsPerBlock, float noiseStdDev, ulong seed)
    {
        int blocks = gains.Length / 2;
        var pilotNoise = new float[2 * blocks * pilotsPerBlock];
        GaussianNoise.Fill(pilotNoise, seed);
        var estimates = new float[gains.Length];
        for (int b = 0; b < blocks; b++)
        {
            double re = 0, im = 0;
            for (int p = 0; p < pilotsPerBlock; p++)
            {
                int k = 2 * (b * pilotsPerBlock + p);
                re += gains[2 * b] + noiseStdDev * pilotNoise[k];
                im += gains[2 * b + 1] + noiseStdDev * pilotNoise[k + 1];
            }

            estimates[2 * b] = (float)(re / pilotsPerBlock);
            estimates[2 * b + 1] = (float)(im / pilotsPerBlock);
        }

        return estimates;
    }
}
