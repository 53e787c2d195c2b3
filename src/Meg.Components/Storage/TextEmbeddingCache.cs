using System.Security.Cryptography;
using System.Text;
using Meg.Diffusion.Pipeline;
using Meg.Execution;
using Microsoft.Extensions.Options;

namespace Meg.Components.Storage;

/// <summary>Text encodings by (model, prompt): a repeated prompt skips the text encoder on every node.</summary>
public sealed class TextEmbeddingCache(IBlobStore store, IOptions<StorageOptions> options)
{
    public static string Key(string model, string prompt) =>
        $"meg:text:{model}:{Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(prompt)))}";

    public async Task<TextConditioning?> TryGetAsync(string model, string prompt)
    {
        var bytes = await store.GetAsync(Key(model, prompt));
        return bytes is null ? null : ArtifactSerializer.Deserialize<TextConditioning>(bytes);
    }

    public Task PutAsync(string model, string prompt, TextConditioning text) =>
        store.SetAsync(Key(model, prompt), ArtifactSerializer.Serialize(text), options.Value.EmbeddingTtl);
}
