namespace Meg.Contracts;

/// <summary>What one transfer cost on the channel, as measured (mirrors the executor's transfer record).</summary>
public sealed record TransferMeasurement(
    long Values,
    long Bits,
    long ChannelUses,
    double AirtimeSeconds,
    long? BitErrors,
    bool Outage,
    bool DecodeFailed,
    double? MeasuredSnrDb);
