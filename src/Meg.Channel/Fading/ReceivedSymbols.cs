namespace Meg.Channel.Fading;

/// <summary>What the receiver knows after <see cref="SymbolChannel"/>: equalized symbols (in the caller's buffer) plus these.</summary>
internal sealed class ReceivedSymbols
{
    /// <summary>Noise energy N0 per complex symbol.</summary>
    public required double NoiseVariance { get; init; }

    /// <summary>The receiver's |h|^2 per fading block (estimated when pilots are used).</summary>
    public required float[] GainSquared { get; init; }

    /// <summary>Data symbols per fading block; symbol i belongs to block i / DataSymbolsPerBlock.</summary>
    public required int DataSymbolsPerBlock { get; init; }

    /// <summary>Pilot symbols sent (channel uses that carry no data).</summary>
    public required long PilotSymbols { get; init; }

    /// <summary>Received signal energy before equalization, sum of |h s|^2 over data symbols.</summary>
    public required double SignalEnergy { get; init; }

    /// <summary>Drawn noise energy, sum of |n|^2 over data symbols.</summary>
    public required double NoiseEnergy { get; init; }

    /// <summary>LLR scale |h|^2 / N0 of data symbol <paramref name="symbol"/>: equalization divides by h, so the noise left is N0 / |h|^2.</summary>
    public float Reliability(int symbol) => (float)(GainSquared[symbol / DataSymbolsPerBlock] / NoiseVariance);
}
