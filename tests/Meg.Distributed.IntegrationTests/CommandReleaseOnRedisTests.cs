using System.Globalization;
using Meg.Components.Storage;

namespace Meg.Distributed.IntegrationTests;

/// <summary>The join behind <c>CommandRelease</c> on the system's real Redis: of predecessors finishing at once, exactly
/// one completes the set, so exactly one sends the waiting command.</summary>
[Collection(DistributedAppCollection.Name)]
public sealed class CommandReleaseOnRedisTests(DistributedAppFixture app)
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
}
