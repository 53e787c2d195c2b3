using Meg.Protocols.Plans;

namespace Meg.Execution;

/// <summary>What one transfer of a run cost and how it fared.</summary>
/// <param name="Transfer">The plan's transfer.</param>
/// <param name="Values">Real values (or bytes) sent.</param>
/// <param name="Bits">Bits at the payload's native precision (analog) or as sent (digital, side information included).</param>
/// <param name="ChannelUses">Complex channel uses, pilots and code overhead included.</param>
/// <param name="AirtimeSeconds">Channel uses over the bandwidth.</param>
/// <param name="BitErrors">Payload bit errors on a digital link.</param>
/// <param name="Outage">The capacity mode's block did not fit: the payload was lost.</param>
/// <param name="DecodeFailed">A compressed image that arrived corrupted and could not be decoded.</param>
/// <param name="MeasuredSnrDb">The SNR the analog path realized; null where no noise was added.</param>
public sealed record TransferRecord(
    Transfer Transfer,
    long Values,
    long Bits,
    long ChannelUses,
    double AirtimeSeconds,
    long? BitErrors = null,
    bool Outage = false,
    bool DecodeFailed = false,
    double? MeasuredSnrDb = null)
{
    public LinkKind Link => Transfer.Link;
}
