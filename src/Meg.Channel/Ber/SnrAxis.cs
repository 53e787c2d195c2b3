namespace Meg.Channel.Ber;

/// <summary>What the SNR values of a BER simulation mean.</summary>
public enum SnrAxis
{
    /// <summary>Energy per information bit over N0: Es/N0 = Eb/N0 + 10 log10(bits per symbol x code rate). Compares modulations and codes fairly.</summary>
    EbN0,

    /// <summary>Energy per complex symbol over N0, the SNR of <see cref="ChannelSettings.SnrDb"/>.</summary>
    EsN0,
}
