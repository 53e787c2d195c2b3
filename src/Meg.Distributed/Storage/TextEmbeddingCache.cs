using System.Security.Cryptography;
using System.Text;
using Meg.Diffusion.Pipeline;
using Meg.Execution;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Meg.Distributed.Storage;

/// <summary>
/// Text encodings by (model, prompt): a repeated prompt skips the text encoder on every node. One node at a time
/// encodes a prompt: a node that misses the cache claims the prompt, and a node that finds it claimed waits for that
/// node's result rather than encoding the same text beside it (CIAG's UE and ES1, or the edge servers of UIDG, start
/// on the same prompt at the same moment, and two encoders at once slow each other and the model work beside them).
/// The claimant announces the stored encoding (<see cref="KeyedSignal"/>), so a waiter starts as soon as it is there.
/// </summary>
public sealed class TextEmbeddingCache(IBlobStore store, IOptions<StorageOptions> options, IConnectionMultiplexer? redis = null)
{
    public const string Channel = "meg:text:encoded";

    private readonly KeyedSignal _encoded = new(redis, Channel);

    public static string Key(string model, string prompt) =>
        $"meg:text:{model}:{Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(prompt)))}";

    public static string ClaimKey(string model, string prompt) => Key(model, prompt) + ":encoding";

    /// <summary>The cached encoding, waiting for it while another node encodes the prompt; null when the caller is to
    /// encode it (then it must <see cref="PutAsync"/> the result).</summary>
    public async Task<TextConditioning?> GetOrClaimAsync(string model, string prompt, string worker)
    {
        var key = Key(model, prompt);
        // The claim outlives the wait, so a claimant that fails leaves the waiters to encode it themselves.
        var (bytes, claimed) = await store.GetOrClaimAsync(key, ClaimKey(model, prompt), worker, 2 * options.Value.EmbeddingWait);
        if (bytes is null && !claimed)
        {
            var deadline = DateTime.UtcNow + options.Value.EmbeddingWait;
            // Listening starts before the next look, so an encoding stored in between still wakes this wait.
            using var watch = _encoded.Listen(key);
            bytes = await store.GetAsync(key);
            for (var left = deadline - DateTime.UtcNow; bytes is null && left > TimeSpan.Zero; left = deadline - DateTime.UtcNow)
            {
                var recheck = Task.Delay(left < options.Value.EmbeddingRecheck ? left : options.Value.EmbeddingRecheck);
                await (watch.Finished.IsCompleted ? recheck : Task.WhenAny(watch.Finished, recheck));
                bytes = await store.GetAsync(key);
            }
        }

        return bytes is null ? null : ArtifactSerializer.Deserialize<TextConditioning>(bytes);
    }

    /// <summary>Stores an encoding, releases the claim on its prompt and wakes the nodes waiting for it. The announcement
    /// goes out behind the write on the same connection, so whoever hears it reads the encoding.</summary>
    public Task PutAsync(string model, string prompt, TextConditioning text)
    {
        var key = Key(model, prompt);
        return Task.WhenAll(
            store.SetAsync(key, ArtifactSerializer.Serialize(text), options.Value.EmbeddingTtl),
            store.DeleteAsync(ClaimKey(model, prompt)),
            _encoded.AnnounceAsync(key));
    }

    /// <summary>Gives up a claim without an encoding (the node encoded something else: a prompt the channel damaged), so
    /// the next node to look the prompt up claims it at once instead of waiting for the claim to expire.</summary>
    public Task ReleaseAsync(string model, string prompt) => store.DeleteAsync(ClaimKey(model, prompt));
}
