namespace Meg.Distributed.Storage;

/// <summary>How long payloads and job records live in Redis (configuration section "Meg:Storage").</summary>
public sealed class StorageOptions
{
    public TimeSpan PayloadTtl { get; set; } = TimeSpan.FromHours(1);

    public TimeSpan JobTtl { get; set; } = TimeSpan.FromHours(24);

    public TimeSpan EmbeddingTtl { get; set; } = TimeSpan.FromDays(7);

    /// <summary>How long a node waits for another node's text encoding of the same prompt before it encodes the prompt
    /// itself (the other may have failed).</summary>
    public TimeSpan EmbeddingWait { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>While it waits, how often a node looks at the cache again on its own: the encoding's announcement wakes it
    /// at once, and this only covers an announcement lost on the way (Redis pub/sub is best effort).</summary>
    public TimeSpan EmbeddingRecheck { get; set; } = TimeSpan.FromMilliseconds(25);
}
