using Meg.Protocols.Plans;

namespace Meg.Execution;

/// <summary>What one node holds while a plan runs: artifacts by identity, and which of them arrived over the air.</summary>
public sealed class NodeMemory(NodeId node)
{
    private readonly Dictionary<Artifact, object> _items = [];
    private readonly HashSet<Artifact> _received = [];

    public NodeId Node { get; } = node;

    public IReadOnlyCollection<Artifact> Artifacts => _items.Keys;

    public void Put(Artifact artifact, object value, bool receivedOverAir = false)
    {
        _items[artifact] = value;
        if (receivedOverAir)
        {
            _received.Add(artifact);
        }
        else
        {
            _received.Remove(artifact);
        }
    }

    public T Get<T>(Artifact artifact) =>
        _items.TryGetValue(artifact, out var value)
            ? value is T typed ? typed : throw new InvalidOperationException($"{Node} holds the {artifact} as {value.GetType().Name}, not {typeof(T).Name}.")
            : throw new InvalidOperationException($"{Node} does not hold the {artifact}.");

    public bool Has(Artifact artifact) => _items.ContainsKey(artifact);

    public bool ArrivedOverAir(Artifact artifact) => _received.Contains(artifact);
}
