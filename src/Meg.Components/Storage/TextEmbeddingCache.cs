using System.Security.Cryptography;
using System.Text;
using Meg.Diffusion.Pipeline;
using Meg.Execution;
using Microsoft.Extensions.Options;

namespace Meg.Components.Storage;

/// <summary>
/// Text encodings by (model, prompt): a repeated prompt skips the text encoder on every node. One node at a time
/// encodes a prompt: a node that misses the cache claims the prompt, and a node that finds it claimed waits for that
/// node's result rather than encoding the same text beside it (CIAG's UE and ES1, or the edge servers of UIDG, start
/// on the same prompt at the same moment, and two encoders at once slow each other and the model work beside them).
/// </summary>
public sealed class TextEmbeddingCache(IBlobStore store, IOptions<StorageOptions> options)
{
    /// <summary>Longest pause between two looks while waiting for another node's encoding.</summary>
    private static readonly TimeSpan MaxPause = TimeSpan.FromMilliseconds(8);

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
            for (var pause = TimeSpan.FromMilliseconds(0.5); bytes is null && DateTime.UtcNow < deadline; pause = Min(pause * 2, MaxPause))
            {
                await Task.Delay(pause);
                bytes = await store.GetAsync(key);
            }
        }

        return bytes is null ? null : ArtifactSerializer.Deserialize<TextConditioning>(bytes);
    }

    /// <summary>Stores an encoding and releases the claim on its prompt.</summary>
    public Task PutAsync(string model, string prompt, TextConditioning text) => Task.WhenAll(
        store.SetAsync(Key(model, prompt), ArtifactSerializer.Serialize(text), options.Value.EmbeddingTtl),
        store.DeleteAsync(ClaimKey(model, prompt)));

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;
}
