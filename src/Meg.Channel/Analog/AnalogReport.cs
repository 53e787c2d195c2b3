namespace Meg.Channel.Analog;

/// <summary>What one analog transmission cost and how noisy it was.</summary>
/// <param name="ChannelUses">Complex channel uses: ceil(values / 2) plus pilots.</param>
/// <param name="PilotChannelUses">Part of <paramref name="ChannelUses"/> spent on pilots.</param>
/// <param name="MeasuredSnrDb">
/// Received signal energy over drawn noise energy in dB, before equalization; +infinity when noiseless, NaN for an empty payload.
/// </param>
public readonly record struct AnalogReport(long ChannelUses, long PilotChannelUses, double MeasuredSnrDb);
