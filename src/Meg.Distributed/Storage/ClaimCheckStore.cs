using Meg.Execution;
using Meg.Protocols.Plans;
using Microsoft.Extensions.Options;

namespace Meg.Distributed.Storage;

/// <summary>
/// Each node's memory for each job, kept outside the processes (claim check): one Redis hash per job and node,
/// a field per artifact. Messages carry references ("meg:job:{id}:node:ES1#Latent/0/8/0"), never the tensors.
/// The first byte of a stored value says whether the artifact arrived over the air (the robust decoder needs it).
/// </summary>
public sealed class ClaimCheckStore(IBlobStore store, IOptions<StorageOptions> options)
{
    public static string MemoryKey(Guid job, NodeId node) => $"meg:job:{job:N}:node:{node}";

    public static string Reference(Guid job, NodeId node, Artifact artifact) => $"{MemoryKey(job, node)}#{ArtifactKey.Of(artifact)}";

    public async Task<string> PutAsync(Guid job, NodeId node, Artifact artifact, object value, bool receivedOverAir = false)
    {
        byte[] bytes = [receivedOverAir ? (byte)1 : (byte)0, .. ArtifactSerializer.Serialize(value)];
        await store.HashSetAsync(MemoryKey(job, node), ArtifactKey.Of(artifact), bytes, options.Value.PayloadTtl);
        return Reference(job, node, artifact);
    }

    /// <summary>Everything the node holds for the job.</summary>
    public async Task<NodeMemory> LoadAsync(Guid job, NodeId node)
    {
        var memory = new NodeMemory(node);
        foreach (var (field, bytes) in await store.HashGetAllAsync(MemoryKey(job, node)))
        {
            memory.Put(ArtifactKey.Parse(field), ArtifactSerializer.Deserialize(bytes.AsSpan(1)), bytes[0] == 1);
        }

        return memory;
    }

    /// <summary>Only <paramref name="artifacts"/>; throws naming the first one that is missing (expired or never made).</summary>
    public async Task<NodeMemory> LoadAsync(Guid job, NodeId node, IEnumerable<Artifact> artifacts)
    {
        var memory = new NodeMemory(node);
        var wanted = artifacts.ToArray();
        // Pipelined: all the reads go out before the first answer is awaited.
        var values = await Task.WhenAll(wanted.Select(a => store.HashGetAsync(MemoryKey(job, node), ArtifactKey.Of(a))));
        for (var i = 0; i < wanted.Length; i++)
        {
            var bytes = values[i]
                ?? throw new InvalidOperationException($"Job {job:N}: {node} has no {wanted[i]} in the store (expired after {options.Value.PayloadTtl}, or never made).");
            memory.Put(wanted[i], ArtifactSerializer.Deserialize(bytes.AsSpan(1)), bytes[0] == 1);
        }

        return memory;
    }

    public async Task<T?> TryGetAsync<T>(Guid job, NodeId node, Artifact artifact)
        where T : class
    {
        var bytes = await store.HashGetAsync(MemoryKey(job, node), ArtifactKey.Of(artifact));
        return bytes is null ? null : ArtifactSerializer.Deserialize<T>(bytes.AsSpan(1));
    }
}
