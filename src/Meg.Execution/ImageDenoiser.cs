namespace Meg.Execution;

/// <summary>What the receiver does to an image or input image that crossed a noisy analog link.</summary>
public enum ImageDenoiser
{
    /// <summary>Nothing: the received values are rounded and clamped as they are.</summary>
    None,

    /// <summary>
    /// An adaptive local Wiener filter (<see cref="Meg.Imaging.WienerFilter"/>) per colour plane, before rounding, with the
    /// noise variance the receiver knows from the link's SNR and the transmitted power.
    /// </summary>
    Wiener,
}
