namespace Meg.Protocols.Costs;

/// <summary>How much one or more transfers put on the air.</summary>
/// <param name="Values">Real values carried (pixels x channels, latent entries, prompt bytes).</param>
/// <param name="Bits">Bits at the payload's native precision (8-bit pixels, float32/16/8-bit latents).</param>
/// <param name="ChannelUses">Complex channel uses: values / 2 for analog payloads, bits / efficiency for text.</param>
/// <param name="AirtimeSeconds">Channel uses divided by the bandwidth.</param>
public readonly record struct PayloadLoad(long Values, long Bits, long ChannelUses, double AirtimeSeconds)
{
    public static PayloadLoad Zero => default;

    public static PayloadLoad operator +(PayloadLoad a, PayloadLoad b) =>
        new(a.Values + b.Values, a.Bits + b.Bits, a.ChannelUses + b.ChannelUses, a.AirtimeSeconds + b.AirtimeSeconds);
}
