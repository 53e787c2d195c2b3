namespace Meg.Channel;

/// <summary>How a payload crosses the channel.</summary>
public enum ChannelMode
{
    /// <summary>An ideal pipe: the analog path without noise or fading; the receiver gets exactly what was sent.</summary>
    Noiseless,

    /// <summary>Uncoded analog transmission: each real value is one real channel dimension.</summary>
    Analog,

    /// <summary>Quantize or take raw bits, optionally encode and interleave, modulate, demodulate, decode.</summary>
    Digital,

    /// <summary>An ideal code at a fixed spectral efficiency: error-free when it fits log2(1 + SNR), lost otherwise.</summary>
    Capacity,
}
