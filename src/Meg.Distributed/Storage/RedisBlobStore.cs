using StackExchange.Redis;

namespace Meg.Distributed.Storage;

/// <summary><see cref="IBlobStore"/> on Redis.</summary>
public sealed class RedisBlobStore(IConnectionMultiplexer redis) : IBlobStore
{
    private IDatabase Db => redis.GetDatabase();

    public Task SetAsync(string key, byte[] value, TimeSpan? ttl) =>
        ttl is { } t ? Db.StringSetAsync(key, value, t) : Db.StringSetAsync(key, value);

    public async Task<byte[]?> GetAsync(string key) => (byte[]?)await Db.StringGetAsync(key);

    public Task DeleteAsync(string key) => Db.KeyDeleteAsync(key);

    public async Task HashSetAsync(string key, string field, byte[] value, TimeSpan ttl)
    {
        var batch = Db.CreateBatch();
        var set = batch.HashSetAsync(key, field, value);
        var expire = batch.KeyExpireAsync(key, ttl);
        batch.Execute();
        await Task.WhenAll(set, expire);
    }

    public async Task<byte[]?> HashGetAsync(string key, string field) => (byte[]?)await Db.HashGetAsync(key, field);

    public async Task<IReadOnlyDictionary<string, byte[]>> HashGetAllAsync(string key)
    {
        var entries = await Db.HashGetAllAsync(key);
        return entries.ToDictionary(e => e.Name.ToString(), e => (byte[])e.Value!);
    }

    public async Task<IReadOnlyDictionary<string, byte[]>> HashAddAndGetAllAsync(string key, string field, byte[] value, TimeSpan ttl)
    {
        // MULTI/EXEC, as in SetAddAndCountAsync: the entries are read right after this add.
        var transaction = Db.CreateTransaction();
        _ = transaction.HashSetAsync(key, field, value, When.NotExists);
        _ = transaction.KeyExpireAsync(key, ttl);
        var entries = transaction.HashGetAllAsync(key);
        await transaction.ExecuteAsync();
        return (await entries).ToDictionary(e => e.Name.ToString(), e => (byte[])e.Value!);
    }

    public Task SetAddAsync(string key, string member) => Db.SetAddAsync(key, member);

    public Task SetRemoveAsync(string key, string member) => Db.SetRemoveAsync(key, member);

    public async Task<IReadOnlyList<string>> SetMembersAsync(string key) =>
        (await Db.SetMembersAsync(key)).Select(v => v.ToString()).ToArray();

    public Task<long> SetCountAsync(string key) => Db.SetLengthAsync(key);

    public async Task<long> SetAddAndCountAsync(string key, string member, TimeSpan ttl)
    {
        // MULTI/EXEC: the count is read right after this add, with no other client's add in between.
        var transaction = Db.CreateTransaction();
        _ = transaction.SetAddAsync(key, member);
        _ = transaction.KeyExpireAsync(key, ttl);
        var count = transaction.SetLengthAsync(key);
        await transaction.ExecuteAsync();
        return await count;
    }

    public Task<long> IncrementAsync(string key) => Db.StringIncrementAsync(key);

    public Task HashIncrementAsync(string key, IReadOnlyList<(string Field, double Delta)> deltas)
    {
        var batch = Db.CreateBatch();
        var increments = deltas.Select(d => batch.HashIncrementAsync(key, d.Field, d.Delta)).ToArray();
        batch.Execute();
        return Task.WhenAll(increments);
    }

    public async Task<long?> HashAddAndCountAsync(string key, string field, byte[] value)
    {
        var transaction = Db.CreateTransaction();
        var added = transaction.HashSetAsync(key, field, value, When.NotExists);
        var count = transaction.HashLengthAsync(key);
        await transaction.ExecuteAsync();
        return await added ? await count : null;
    }

    public Task<bool> HashDeleteAsync(string key, string field) => Db.HashDeleteAsync(key, field);

    public Task<long> HashLengthAsync(string key) => Db.HashLengthAsync(key);

    public async Task<(byte[]? Value, bool Claimed)> GetOrClaimAsync(string key, string claimKey, string owner, TimeSpan ttl)
    {
        var transaction = Db.CreateTransaction();
        var value = transaction.StringGetAsync(key);
        var claimed = transaction.StringSetAsync(claimKey, owner, ttl, When.NotExists);
        await transaction.ExecuteAsync();
        return ((byte[]?)await value, await claimed);
    }

    public async Task<byte[]?> SetIfAbsentOrGetAsync(string key, byte[] value, TimeSpan ttl)
    {
        // A script, so the read and the set are one step (SET NX GET needs Redis 7).
        var result = await Db.ScriptEvaluateAsync(SetIfAbsentOrGet, [key], [value, (long)ttl.TotalMilliseconds]);
        return result.IsNull ? null : (byte[]?)result;
    }

    private const string SetIfAbsentOrGet = """
        local old = redis.call('GET', KEYS[1])
        if old then return old end
        redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
        return false
        """;

    public Task SortedSetAddAsync(string key, string member, double score) => Db.SortedSetAddAsync(key, member, score);

    public async Task<IReadOnlyList<string>> SortedSetRangeByScoreAsync(string key, double maxScore, int take) =>
        (await Db.SortedSetRangeByScoreAsync(key, double.NegativeInfinity, maxScore, take: take)).Select(v => v.ToString()).ToArray();

    public Task<bool> SortedSetRemoveAsync(string key, string member) => Db.SortedSetRemoveAsync(key, member);
}
