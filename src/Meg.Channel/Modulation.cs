namespace Meg.Channel;

/// <summary>Gray-mapped constellations, all scaled to unit average energy per complex symbol.</summary>
public enum Modulation
{
    /// <summary>1 bit per symbol, on the real axis.</summary>
    Bpsk,

    /// <summary>2 bits per symbol.</summary>
    Qpsk,

    /// <summary>4 bits per symbol (square 16-QAM).</summary>
    Qam16,

    /// <summary>6 bits per symbol (square 64-QAM).</summary>
    Qam64,
}
