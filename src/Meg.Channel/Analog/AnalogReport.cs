namespace Meg.Channel.Analog;

/// <summary>What one analog transmission cost and how noisy it was.</summary>
/// <param name="ChannelUses">Complex channel uses: ceil(values / 2) plus pilots.</param>
/// <param name="PilotChannelUses">Part of <paramref name="ChannelUses"/> spent on pilots.</param>
/// <param name="MeasuredSnrDb">
/// Received signal energy over drawn noise energy in dB, before equalization; +infinity when noiseless, NaN for an empty payload.
/// </param>
/// <param name="NoiseVariance">
/// Variance of the noise on each received value, in the payload's own units (after de-normalizing), as the receiver
/// knows it from the SNR and the sent power: the average over fades, divided by the repetitions averaged; 0 when noiseless.
/// </param>
public readonly record struct AnalogReport(long ChannelUses, long PilotChannelUses, double MeasuredSnrDb, double NoiseVariance = 0);
