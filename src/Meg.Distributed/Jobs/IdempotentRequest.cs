using System.Security.Cryptography;
using System.Text;
using Meg.Distributed.Storage;

namespace Meg.Distributed.Jobs;

/// <summary>
/// A submission sent with an <c>Idempotency-Key</c>: a client that retries after a lost answer gets the job it made the
/// first time instead of a second one. Kept per client in Redis for a day (meg:idempotency:{client}:{hash of the key})
/// as the body's hash and the job id.
/// </summary>
public sealed record IdempotentRequest(string Key, byte[] BodyHash)
{
    public const string Header = "Idempotency-Key";
    public const int MaxKeyLength = 200;

    private static readonly TimeSpan Kept = TimeSpan.FromHours(24);

    public static IdempotentRequest Of(string key, ReadOnlySpan<byte> body) => new(key, SHA256.HashData(body));

    /// <summary>Null when this request is the key's first (it now holds the key for <paramref name="job"/>); else the
    /// answer: the earlier job for the same body, a conflict for another.</summary>
    public async Task<SubmissionResult?> ClaimAsync(IBlobStore store, string? client, Guid job)
    {
        var claim = Encoding.ASCII.GetBytes($"{Convert.ToHexString(BodyHash)}:{job:N}");
        if (await store.SetIfAbsentOrGetAsync(StoreKey(client), claim, Kept) is not { } earlier)
        {
            return null;
        }

        var parts = Encoding.ASCII.GetString(earlier).Split(':');
        return parts[0] == Convert.ToHexString(BodyHash)
            ? SubmissionResult.Replay(Guid.ParseExact(parts[1], "N"))
            : SubmissionResult.Conflict($"The {Header} '{Key}' was used with another request body; use a new key for a new job.");
    }

    /// <summary>Frees the key: the request it was claimed for was not accepted, so a retry may use it.</summary>
    public Task ReleaseAsync(IBlobStore store, string? client) => store.DeleteAsync(StoreKey(client));

    private string StoreKey(string? client) =>
        $"meg:idempotency:{client ?? "-"}:{Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(Key)))}";
}
