namespace Meg.Channel;

/// <summary>The small-scale fading applied on top of the additive white Gaussian noise.</summary>
public enum FadingModel
{
    /// <summary>No fading: the channel gain is 1.</summary>
    None,

    /// <summary>Block Rayleigh fading: one complex gain h ~ CN(0, 1) per block.</summary>
    Rayleigh,

    /// <summary>Block Rician fading: a fixed line-of-sight part plus a scattered CN part, E|h|^2 = 1.</summary>
    Rician,
}
