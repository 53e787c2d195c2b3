namespace Meg.Distributed.Storage;

/// <summary>The few key-value operations the services need: Redis in deployment, a dictionary in unit tests.</summary>
public interface IBlobStore
{
    Task SetAsync(string key, byte[] value, TimeSpan? ttl);

    Task<byte[]?> GetAsync(string key);

    Task DeleteAsync(string key);

    Task HashSetAsync(string key, string field, byte[] value, TimeSpan ttl);

    Task<byte[]?> HashGetAsync(string key, string field);

    Task<IReadOnlyDictionary<string, byte[]>> HashGetAllAsync(string key);

    /// <summary>Sets <paramref name="field"/> unless the hash has it already (the first value stays) and returns every
    /// entry the hash then has, in one atomic step (two callers never both see themselves complete a hash first).</summary>
    Task<IReadOnlyDictionary<string, byte[]>> HashAddAndGetAllAsync(string key, string field, byte[] value, TimeSpan ttl);

    Task SetAddAsync(string key, string member);

    Task SetRemoveAsync(string key, string member);

    Task<IReadOnlyList<string>> SetMembersAsync(string key);

    Task<long> SetCountAsync(string key);

    /// <summary>Adds <paramref name="member"/> to the set and returns how many members it then has, in one atomic step
    /// (two callers never both see themselves complete a set first).</summary>
    Task<long> SetAddAndCountAsync(string key, string member, TimeSpan ttl);

    Task<long> IncrementAsync(string key);

    /// <summary>A counter kept by <see cref="IncrementAsync"/> (its decimal digits), 0 when it was never counted.</summary>
    async Task<long> GetCounterAsync(string key) =>
        await GetAsync(key) is { } digits ? long.Parse(System.Text.Encoding.ASCII.GetString(digits), System.Globalization.CultureInfo.InvariantCulture) : 0;

    /// <summary>Adds each delta to its counter field of a hash kept without expiry, all in one round trip.</summary>
    Task HashIncrementAsync(string key, IReadOnlyList<(string Field, double Delta)> deltas);

    /// <summary>Sets <paramref name="field"/> (kept without expiry) unless the hash has it, and returns how many fields the
    /// hash then has, in one atomic step; null when the field was there already.</summary>
    Task<long?> HashAddAndCountAsync(string key, string field, byte[] value);

    /// <summary>Removes <paramref name="field"/>; whether it was there (of two callers, only one sees true).</summary>
    Task<bool> HashDeleteAsync(string key, string field);

    Task<long> HashLengthAsync(string key);

    /// <summary>Reads <paramref name="key"/> and, in the same atomic step, sets <paramref name="claimKey"/> to
    /// <paramref name="owner"/> (for <paramref name="ttl"/>) unless it exists: whether this caller holds the claim.</summary>
    Task<(byte[]? Value, bool Claimed)> GetOrClaimAsync(string key, string claimKey, string owner, TimeSpan ttl);

    /// <summary>Sets <paramref name="key"/> to <paramref name="value"/> unless it exists, in one atomic step: null when
    /// this caller set it, else the value that was there (of two callers, only one sees null).</summary>
    Task<byte[]?> SetIfAbsentOrGetAsync(string key, byte[] value, TimeSpan ttl);

    /// <summary>Adds <paramref name="member"/> to a sorted set kept without expiry, or moves it to <paramref name="score"/>.</summary>
    Task SortedSetAddAsync(string key, string member, double score);

    /// <summary>Up to <paramref name="take"/> members scored at most <paramref name="maxScore"/>, lowest first.</summary>
    Task<IReadOnlyList<string>> SortedSetRangeByScoreAsync(string key, double maxScore, int take);

    /// <summary>Removes <paramref name="member"/>; whether it was there (of two callers, only one sees true).</summary>
    Task<bool> SortedSetRemoveAsync(string key, string member);
}
