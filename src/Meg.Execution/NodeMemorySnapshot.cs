using Meg.Diffusion.Pipeline;
using Meg.Imaging;
using Meg.Protocols.Plans;

namespace Meg.Execution;

/// <summary>What one node held at one moment of a run: its artifacts and which of them arrived over the air.</summary>
public sealed record NodeMemorySnapshot(IReadOnlyDictionary<Artifact, object> Items, IReadOnlySet<Artifact> Received)
{
    /// <summary>Whether both hold the same artifacts with the same values, bit for bit, received the same way: a step
    /// that reads either one then computes the same thing.</summary>
    public bool SameContent(NodeMemorySnapshot other) =>
        Items.Count == other.Items.Count && Received.SetEquals(other.Received)
        && Items.All(kv => other.Items.TryGetValue(kv.Key, out var value) && SameValue(kv.Value, value));

    /// <summary>Bitwise equality of artifact values; an unknown type counts as equal only to itself (a miss costs speed, never exactness).</summary>
    public static bool SameValue(object a, object b) => ReferenceEquals(a, b) || (a, b) switch
    {
        (string x, string y) => x == y,
        (RgbImage x, RgbImage y) => x.Equals(y),
        (Latent x, Latent y) => x.BitEquals(y),
        _ => false,
    };
}
