using Meg.Diffusion.Pipeline;
using Meg.Distributed.Storage;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Meg.Distributed.IntegrationTests;

/// <summary>A node waiting for another node's text encoding wakes when that node announces it through the system's
/// real Redis, from another connection (as another process would), without looking again on its own.</summary>
[Trait("Category", "Slow")]
[Collection(DistributedAppCollection.Name)]
public sealed class TextEncodingAnnouncementTests(DistributedAppFixture app)
{
    private static readonly TextConditioning Text = new([1, 2, 3, 4, 5, 6], [-1, -2, -3, -4, -5, -6], 3, 2);

    [Fact]
    public async Task A_waiter_on_one_connection_wakes_when_the_encoding_is_stored_from_another()
    {
        // Rechecks so rare that only the announcement can wake the waiter within the test's patience.
        var options = Options.Create(new StorageOptions { EmbeddingWait = TimeSpan.FromMinutes(5), EmbeddingRecheck = TimeSpan.FromMinutes(5) });
        await using var other = await ConnectionMultiplexer.ConnectAsync(app.Redis.Configuration);
        var encoder = new TextEmbeddingCache(new RedisBlobStore(app.Redis), options, app.Redis);
        var waiter = new TextEmbeddingCache(new RedisBlobStore(other), options, other);
        var (model, prompt) = ("announcement-test", $"a lighthouse {Guid.NewGuid():N}");

        Assert.Null(await encoder.GetOrClaimAsync(model, prompt, "es-1")); // claimed: es-1 encodes
        var waiting = waiter.GetOrClaimAsync(model, prompt, "es-2");
        await Task.Delay(200);
        Assert.False(waiting.IsCompleted);

        await encoder.PutAsync(model, prompt, Text);

        var received = await waiting.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(Text.Prompt, received?.Prompt);
        Assert.Equal(Text.Empty, received?.Empty);
        await app.Redis.GetDatabase().KeyDeleteAsync(TextEmbeddingCache.Key(model, prompt));
    }
}
