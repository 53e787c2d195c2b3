namespace Meg.Channel;

/// <summary>The payload as the receiver decoded it, with the cost and the link's quality.</summary>
/// <typeparam name="T">The payload type (<c>float[]</c> or <c>byte[]</c>).</typeparam>
public sealed record TransferResult<T>
{
    /// <summary>
    /// The payload after the channel; it may contain errors. Always as long as the sent payload: on outage
    /// (capacity mode) the content is lost and it is all zeros.
    /// </summary>
    public required T Received { get; init; }

    /// <summary>Values, bits, channel uses and airtime of this transfer.</summary>
    public required TransferAccounting Accounting { get; init; }

    /// <summary>Payload bits that differ after decoding (digital mode); null in other modes.</summary>
    public long? BitErrors { get; init; }

    /// <summary>BitErrors over payload bits (digital mode); null in other modes.</summary>
    public double? BitErrorRate { get; init; }

    /// <summary>True when the capacity mode could not carry the rate in at least one fading block; the payload is lost.</summary>
    public bool Outage { get; init; }

    /// <summary>
    /// Realized SNR in dB in analog modes: received signal energy (|h|^2 times the normalized symbol energy) over the
    /// drawn noise energy, before equalization; +infinity in noiseless mode; null in digital and capacity modes.
    /// </summary>
    public double? MeasuredSnrDb { get; init; }
}
