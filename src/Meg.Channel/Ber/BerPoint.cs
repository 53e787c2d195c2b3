namespace Meg.Channel.Ber;

/// <summary>One row of a BER curve.</summary>
/// <param name="SnrDb">The SNR as requested, on the simulation's <see cref="SnrAxis"/>.</param>
/// <param name="EbN0Db">Eb/N0 per information bit in dB.</param>
/// <param name="EsN0Db">Es/N0 per complex symbol in dB (the channel's SNR).</param>
/// <param name="Ber">Measured bit error rate, BitErrors / Bits.</param>
/// <param name="BerTheory">Closed-form BER at EbN0Db, or NaN where there is none (coded, Rician).</param>
/// <param name="BitErrors">Information bits decoded wrong.</param>
/// <param name="Bits">Information bits simulated.</param>
public sealed record BerPoint(double SnrDb, double EbN0Db, double EsN0Db, double Ber, double BerTheory, long BitErrors, long Bits);
