using Meg.Protocols.Plans;

namespace Meg.Execution;

/// <summary>What one node holds while a plan runs: artifacts by identity, and which of them arrived over the air.
/// Safe to use from several threads: a worker may run a node's independent stages at once.</summary>
public sealed class NodeMemory(NodeId node)
{
    private readonly Lock _lock = new();
    private readonly Dictionary<Artifact, object> _items = [];
    private readonly HashSet<Artifact> _received = [];

    public NodeId Node { get; } = node;

    /// <summary>The artifacts held now (a copy).</summary>
    public IReadOnlyCollection<Artifact> Artifacts
    {
        get
        {
            lock (_lock)
            {
                return [.. _items.Keys];
            }
        }
    }

    public void Put(Artifact artifact, object value, bool receivedOverAir = false)
    {
        lock (_lock)
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
    }

    public T Get<T>(Artifact artifact)
    {
        object? value;
        lock (_lock)
        {
            _items.TryGetValue(artifact, out value);
        }

        return value is null
            ? throw new InvalidOperationException($"{Node} does not hold the {artifact}.")
            : value is T typed ? typed : throw new InvalidOperationException($"{Node} holds the {artifact} as {value.GetType().Name}, not {typeof(T).Name}.");
    }

    public bool Has(Artifact artifact)
    {
        lock (_lock)
        {
            return _items.ContainsKey(artifact);
        }
    }

    public bool ArrivedOverAir(Artifact artifact)
    {
        lock (_lock)
        {
            return _received.Contains(artifact);
        }
    }

    /// <summary>What the node holds now (the values are shared, not copied: artifacts are never changed in place).</summary>
    public NodeMemorySnapshot Snapshot()
    {
        lock (_lock)
        {
            return new NodeMemorySnapshot(new Dictionary<Artifact, object>(_items), new HashSet<Artifact>(_received));
        }
    }

    /// <summary>Makes the node hold exactly what <paramref name="snapshot"/> held.</summary>
    public void Restore(NodeMemorySnapshot snapshot)
    {
        lock (_lock)
        {
            _items.Clear();
            foreach (var (artifact, value) in snapshot.Items)
            {
                _items[artifact] = value;
            }

            _received.Clear();
            _received.UnionWith(snapshot.Received);
        }
    }
}
