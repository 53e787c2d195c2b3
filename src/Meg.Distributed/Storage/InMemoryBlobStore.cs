using System.Collections.Concurrent;

namespace Meg.Distributed.Storage;

/// <summary><see cref="IBlobStore"/> in one process (unit tests and single-process runs). TTLs are not enforced.</summary>
public sealed class InMemoryBlobStore : IBlobStore
{
    private readonly ConcurrentDictionary<string, byte[]> _values = new();
    private readonly ConcurrentDictionary<string, ConcurrentDictionary<string, byte[]>> _hashes = new();
    private readonly ConcurrentDictionary<string, ConcurrentDictionary<string, byte>> _sets = new();
    private readonly ConcurrentDictionary<string, ConcurrentDictionary<string, double>> _sortedSets = new();

    public Task SetAsync(string key, byte[] value, TimeSpan? ttl)
    {
        _values[key] = value;
        return Task.CompletedTask;
    }

    public Task<byte[]?> GetAsync(string key) => Task.FromResult(_values.TryGetValue(key, out var v) ? v : null);

    public Task DeleteAsync(string key)
    {
        _values.TryRemove(key, out _);
        _hashes.TryRemove(key, out _);
        _sets.TryRemove(key, out _);
        _sortedSets.TryRemove(key, out _);
        return Task.CompletedTask;
    }

    public Task HashSetAsync(string key, string field, byte[] value, TimeSpan ttl)
    {
        _hashes.GetOrAdd(key, _ => new())[field] = value;
        return Task.CompletedTask;
    }

    public Task<byte[]?> HashGetAsync(string key, string field) =>
        Task.FromResult(_hashes.TryGetValue(key, out var h) && h.TryGetValue(field, out var v) ? v : null);

    public Task<IReadOnlyDictionary<string, byte[]>> HashGetAllAsync(string key) =>
        Task.FromResult<IReadOnlyDictionary<string, byte[]>>(_hashes.TryGetValue(key, out var h) ? new Dictionary<string, byte[]>(h) : []);

    public Task HashIncrementAsync(string key, IReadOnlyList<(string Field, double Delta)> deltas)
    {
        var hash = _hashes.GetOrAdd(key, _ => new());
        lock (hash)
        {
            foreach (var (field, delta) in deltas)
            {
                var value = (hash.TryGetValue(field, out var old) ? double.Parse(System.Text.Encoding.UTF8.GetString(old), System.Globalization.CultureInfo.InvariantCulture) : 0) + delta;
                hash[field] = System.Text.Encoding.UTF8.GetBytes(value.ToString("R", System.Globalization.CultureInfo.InvariantCulture));
            }
        }

        return Task.CompletedTask;
    }

    public Task<long?> HashAddAndCountAsync(string key, string field, byte[] value)
    {
        var hash = _hashes.GetOrAdd(key, _ => new());
        lock (hash)
        {
            return Task.FromResult<long?>(hash.TryAdd(field, value) ? hash.Count : null);
        }
    }

    public Task<bool> HashDeleteAsync(string key, string field) =>
        Task.FromResult(_hashes.TryGetValue(key, out var h) && h.TryRemove(field, out _));

    public Task<long> HashLengthAsync(string key) => Task.FromResult((long)(_hashes.TryGetValue(key, out var h) ? h.Count : 0));

    public Task<IReadOnlyDictionary<string, byte[]>> HashAddAndGetAllAsync(string key, string field, byte[] value, TimeSpan ttl)
    {
        var hash = _hashes.GetOrAdd(key, _ => new());
        lock (hash)
        {
            hash.TryAdd(field, value);
            return Task.FromResult<IReadOnlyDictionary<string, byte[]>>(new Dictionary<string, byte[]>(hash));
        }
    }

    public Task SetAddAsync(string key, string member)
    {
        _sets.GetOrAdd(key, _ => new())[member] = 0;
        return Task.CompletedTask;
    }

    public Task SetRemoveAsync(string key, string member)
    {
        if (_sets.TryGetValue(key, out var s))
        {
            s.TryRemove(member, out _);
        }

        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<string>> SetMembersAsync(string key) =>
        Task.FromResult<IReadOnlyList<string>>(_sets.TryGetValue(key, out var s) ? s.Keys.ToArray() : []);

    public Task<long> SetCountAsync(string key) => Task.FromResult((long)(_sets.TryGetValue(key, out var s) ? s.Count : 0));

    public Task<long> SetAddAndCountAsync(string key, string member, TimeSpan ttl)
    {
        var set = _sets.GetOrAdd(key, _ => new());
        lock (set)
        {
            set[member] = 0;
            return Task.FromResult((long)set.Count);
        }
    }

    public Task<(byte[]? Value, bool Claimed)> GetOrClaimAsync(string key, string claimKey, string owner, TimeSpan ttl)
    {
        lock (_values)
        {
            var value = _values.TryGetValue(key, out var v) ? v : null;
            return Task.FromResult((value, _values.TryAdd(claimKey, System.Text.Encoding.UTF8.GetBytes(owner))));
        }
    }

    public Task<long> IncrementAsync(string key)
    {
        // Stored as Redis stores a counter: its decimal digits.
        static long Parse(byte[] digits) => long.Parse(System.Text.Encoding.ASCII.GetString(digits), System.Globalization.CultureInfo.InvariantCulture);
        static byte[] Digits(long value) => System.Text.Encoding.ASCII.GetBytes(value.ToString(System.Globalization.CultureInfo.InvariantCulture));
        var next = 0L;
        _values.AddOrUpdate(key, _ => Digits(next = 1), (_, old) => Digits(next = Parse(old) + 1));
        return Task.FromResult(next);
    }

    public Task<byte[]?> SetIfAbsentOrGetAsync(string key, byte[] value, TimeSpan ttl) =>
        Task.FromResult(_values.TryAdd(key, value) ? null : _values[key]);

    public Task SortedSetAddAsync(string key, string member, double score)
    {
        _sortedSets.GetOrAdd(key, _ => new())[member] = score;
        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<string>> SortedSetRangeByScoreAsync(string key, double maxScore, int take) =>
        Task.FromResult<IReadOnlyList<string>>(_sortedSets.TryGetValue(key, out var set)
            ? set.Where(e => e.Value <= maxScore).OrderBy(e => e.Value).Take(take).Select(e => e.Key).ToArray()
            : []);

    public Task<bool> SortedSetRemoveAsync(string key, string member) =>
        Task.FromResult(_sortedSets.TryGetValue(key, out var set) && set.TryRemove(member, out _));
}
