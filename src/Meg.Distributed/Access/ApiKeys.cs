using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Meg.Distributed.Storage;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;

namespace Meg.Distributed.Access;

/// <summary>
/// API keys: the administrator's from configuration, clients' in Redis (hash meg:apikeys, field = the key's SHA-256, so
/// the store never holds a usable key). A key is "meg_" and 32 random bytes (CSPRNG) in base64url. Lookups are kept in
/// memory for a short while: every request is authenticated, and Redis need not answer each.
/// </summary>
public sealed partial class ApiKeys(IBlobStore store, IOptions<AccessOptions> options)
{
    public const string KeysKey = "meg:apikeys";
    public const string ClientsKey = "meg:apiclients";

    private static readonly TimeSpan Remembered = TimeSpan.FromSeconds(30);
    private readonly MemoryCache _known = new(new MemoryCacheOptions { SizeLimit = 10_000 });

    // Hashed once: every request compares against it.
    private readonly byte[]? _adminHash = options.Value.AdminKey is { Length: > 0 } admin ? SHA256.HashData(Encoding.UTF8.GetBytes(admin)) : null;

    /// <summary>A new random key.</summary>
    public static string NewKey() => "meg_" + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    /// <summary>The client <paramref name="key"/> belongs to; null for an unknown key.</summary>
    public async Task<ApiClient?> FindAsync(string key)
    {
        var digest = SHA256.HashData(Encoding.UTF8.GetBytes(key));
        if (_adminHash is not null && CryptographicOperations.FixedTimeEquals(digest, _adminHash))
        {
            return new ApiClient(ApiClient.AdminName, IsAdmin: true);
        }

        var hash = Convert.ToHexString(digest);
        if (_known.TryGetValue(hash, out ApiClient? known))
        {
            return known;
        }

        var stored = await store.HashGetAsync(KeysKey, hash);
        var client = stored is null ? null : JsonSerializer.Deserialize<StoredKey>(stored) is { } k ? new ApiClient(k.Client, IsAdmin: false) : null;
        _known.Set(hash, client, new MemoryCacheEntryOptions { Size = 1, AbsoluteExpirationRelativeToNow = Remembered });
        return client;
    }

    /// <summary>Creates a key for a new client named <paramref name="name"/>: the key (shown once), or why not.</summary>
    public async Task<(string? Key, string? Error)> CreateAsync(string? name)
    {
        if (name is null || !ClientName().IsMatch(name) || name == ApiClient.AdminName)
        {
            return (null, $"name must be 1 to 40 lowercase letters, digits or '-', starting with a letter, and not '{ApiClient.AdminName}'; got '{name}'.");
        }

        var created = JsonSerializer.SerializeToUtf8Bytes(new StoredKey(name, DateTimeOffset.UtcNow));
        if (await store.HashAddAndCountAsync(ClientsKey, name, created) is null)
        {
            return (null, $"a client named '{name}' exists already.");
        }

        var key = NewKey();
        await store.HashSetAsync(KeysKey, Hash(key), created, TimeSpan.FromDays(3650));
        return (key, null);
    }

    private static string Hash(string key) => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(key)));

    private sealed record StoredKey(string Client, DateTimeOffset CreatedAt);

    [GeneratedRegex("^[a-z][a-z0-9-]{0,39}$")]
    private static partial Regex ClientName();
}
