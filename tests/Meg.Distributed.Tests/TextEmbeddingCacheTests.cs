using Meg.Diffusion.Pipeline;
using Meg.Distributed.Storage;
using Microsoft.Extensions.Options;

namespace Meg.Distributed.Tests;

/// <summary>One node at a time encodes a prompt: the others wait for its result, woken by its announcement, within a bound.</summary>
public sealed class TextEmbeddingCacheTests
{
    private static readonly TextConditioning Text = new([1, 2, 3, 4, 5, 6], [-1, -2, -3, -4, -5, -6], 3, 2);

    [Fact]
    public async Task A_node_that_finds_the_prompt_being_encoded_waits_for_that_result()
    {
        // Rechecks so rare that only the announcement can wake the waiter within the test's patience.
        var cache = new TextEmbeddingCache(new InMemoryBlobStore(), Options.Create(new StorageOptions
        {
            EmbeddingWait = TimeSpan.FromMinutes(5), EmbeddingRecheck = TimeSpan.FromMinutes(5),
        }));

        Assert.Null(await cache.GetOrClaimAsync("m", "a star", "ue")); // a miss: the UE encodes it
        var waiting = cache.GetOrClaimAsync("m", "a star", "es-1");
        await Task.Delay(50);
        Assert.False(waiting.IsCompleted);

        await cache.PutAsync("m", "a star", Text);

        var received = await waiting.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(Text.Prompt, received?.Prompt);
        Assert.Equal(Text.Empty, (await cache.GetOrClaimAsync("m", "a star", "es-2"))?.Empty);
        Assert.Null(await cache.GetOrClaimAsync("m", "another prompt", "es-2")); // other prompts are not held up
    }

    [Fact]
    public async Task A_node_encodes_the_prompt_itself_when_the_claimant_never_delivers()
    {
        var cache = new TextEmbeddingCache(new InMemoryBlobStore(), Options.Create(new StorageOptions
        {
            EmbeddingWait = TimeSpan.FromMilliseconds(100), EmbeddingRecheck = TimeSpan.FromMinutes(5),
        }));
        Assert.Null(await cache.GetOrClaimAsync("m", "a star", "ue"));

        var clock = System.Diagnostics.Stopwatch.StartNew();
        Assert.Null(await cache.GetOrClaimAsync("m", "a star", "es-1"));

        Assert.InRange(clock.Elapsed, TimeSpan.FromMilliseconds(90), TimeSpan.FromSeconds(20));
    }

    [Fact]
    public async Task A_waiter_that_misses_the_announcement_finds_the_encoding_at_its_next_recheck()
    {
        var store = new InMemoryBlobStore();
        var options = Options.Create(new StorageOptions { EmbeddingWait = TimeSpan.FromMinutes(5), EmbeddingRecheck = TimeSpan.FromMilliseconds(20) });
        Assert.Null(await new TextEmbeddingCache(store, options).GetOrClaimAsync("m", "a star", "ue"));
        var waiting = new TextEmbeddingCache(store, options).GetOrClaimAsync("m", "a star", "es-1");

        // Stored by another cache object (another process's signal): this one hears nothing and has to look again.
        await new TextEmbeddingCache(store, options).PutAsync("m", "a star", Text);

        Assert.Equal(Text.Prompt, (await waiting.WaitAsync(TimeSpan.FromSeconds(60)))?.Prompt);
    }
}
