namespace Meg.Channel;

/// <summary>What the demapper hands to the decoder. Without a channel code both give the same bits.</summary>
public enum DemappingMode
{
    /// <summary>Nearest-symbol bit decisions; the Viterbi decoder then works on Hamming distance.</summary>
    Hard,

    /// <summary>Max-log LLRs scaled by |h|^2 / N0, so the decoder trusts faded symbols less.</summary>
    Soft,
}
