using System.Globalization;
using System.Text;
using Meg.Distributed.Storage;

namespace Meg.Distributed.IntegrationTests;

/// <summary>The blob store's atomic steps on the system's real Redis: the join behind <c>CommandRelease</c> (of
/// predecessors finishing at once, exactly one completes the set, so exactly one sends the waiting command), a job's
/// progress (of commands finishing at once, exactly one sees the job complete) and a text encoding's claim (exactly
/// one node encodes).</summary>
[Trait("Category", "Slow")]
[Collection(DistributedAppCollection.Name)]
public sealed class AtomicStoreStepsOnRedisTests(DistributedAppFixture app)
{
    [Fact]
    public async Task Each_of_many_predecessors_signing_in_at_once_sees_its_own_count_and_a_repeat_counts_once()
    {
        var store = new RedisBlobStore(app.Redis);
        var key = $"meg:test:release:{Guid.NewGuid():N}";
        var ttl = TimeSpan.FromMinutes(1);

        var counts = await Task.WhenAll(Enumerable.Range(0, 16).Select(i =>
            Task.Run(() => store.SetAddAndCountAsync(key, i.ToString(CultureInfo.InvariantCulture), ttl))));
        var repeat = await store.SetAddAndCountAsync(key, "3", ttl);

        // A count read apart from its add would let two callers both see 16 (both send) or none (nobody sends).
        Assert.Equal(Enumerable.Range(1, 16).Select(i => (long)i), counts.Order());
        Assert.Equal(16, repeat);
        Assert.True(await app.Redis.GetDatabase().KeyTimeToLiveAsync(key) is { } left && left > TimeSpan.Zero && left <= ttl);
        await app.Redis.GetDatabase().KeyDeleteAsync(key);
    }

    [Fact]
    public async Task Of_many_commands_recorded_at_once_exactly_one_sees_every_entry_and_a_repeat_keeps_the_first_value()
    {
        var store = new RedisBlobStore(app.Redis);
        var key = $"meg:test:progress:{Guid.NewGuid():N}";
        var ttl = TimeSpan.FromMinutes(1);

        var seen = await Task.WhenAll(Enumerable.Range(0, 16).Select(i => Task.Run(() =>
            store.HashAddAndGetAllAsync(key, i.ToString(CultureInfo.InvariantCulture), Encoding.UTF8.GetBytes($"first {i}"), ttl))));
        var repeat = await store.HashAddAndGetAllAsync(key, "3", Encoding.UTF8.GetBytes("again"), ttl);

        Assert.Equal(Enumerable.Range(1, 16), seen.Select(s => s.Count).Order());
        Assert.Equal(16, repeat.Count);
        Assert.Equal("first 3", Encoding.UTF8.GetString(repeat["3"]));
        Assert.True(await app.Redis.GetDatabase().KeyTimeToLiveAsync(key) is { } left && left > TimeSpan.Zero && left <= ttl);
        await app.Redis.GetDatabase().KeyDeleteAsync(key);
    }

    [Fact]
    public async Task Of_many_nodes_missing_the_cache_at_once_exactly_one_claims_the_encoding_and_a_stored_value_is_read()
    {
        var store = new RedisBlobStore(app.Redis);
        var key = $"meg:test:text:{Guid.NewGuid():N}";
        var ttl = TimeSpan.FromMinutes(1);

        var looks = await Task.WhenAll(Enumerable.Range(0, 16).Select(i => Task.Run(() =>
            store.GetOrClaimAsync(key, key + ":encoding", $"node {i}", ttl))));
        await store.SetAsync(key, [1, 2, 3], ttl);
        var after = await store.GetOrClaimAsync(key, key + ":encoding", "late", ttl);

        Assert.Single(looks, l => l.Claimed);
        Assert.All(looks, l => Assert.Null(l.Value));
        Assert.Equal([1, 2, 3], after.Value);
        Assert.False(after.Claimed);
        Assert.True(await app.Redis.GetDatabase().KeyTimeToLiveAsync(key + ":encoding") is { } left && left > TimeSpan.Zero && left <= ttl);
        await app.Redis.GetDatabase().KeyDeleteAsync([key, key + ":encoding"]);
    }
}
