namespace Meg.Channel;

/// <summary>What one transfer cost on the air.</summary>
/// <param name="Values">Payload elements sent (floats or bytes).</param>
/// <param name="Bits">
/// Information bits sent, side information included (digital and capacity modes); 0 in analog modes, which send no bits.
/// </param>
/// <param name="SideInfoBits">
/// Part of <paramref name="Bits"/> that is side information: the quantizer's min and max as two float32 (64 bits)
/// when floats are quantized, else 0.
/// </param>
/// <param name="ChannelUses">Complex channel uses, pilots, code redundancy, tail and padding bits included.</param>
/// <param name="PilotChannelUses">Part of <paramref name="ChannelUses"/> spent on pilots.</param>
/// <param name="AirtimeSeconds">ChannelUses / bandwidth: complex baseband carries one channel use per Hz per second.</param>
public sealed record TransferAccounting(
    long Values,
    long Bits,
    long SideInfoBits,
    long ChannelUses,
    long PilotChannelUses,
    double AirtimeSeconds)
{
    internal static TransferAccounting Create(long values, long bits, long sideInfoBits, long channelUses, long pilotChannelUses,
        ChannelSettings settings) =>
        new(values, bits, sideInfoBits, channelUses, pilotChannelUses, channelUses / settings.BandwidthHz);
}
