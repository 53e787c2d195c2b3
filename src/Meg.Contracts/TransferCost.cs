namespace Meg.Contracts;

/// <summary>What one transfer cost on the channel (mirrors the executor's transfer record).</summary>
public sealed record TransferCost(
    long Values,
    long Bits,
    long ChannelUses,
    double AirtimeSeconds,
    long? BitErrors,
    bool Outage,
    bool DecodeFailed,
    double? MeasuredSnrDb);
