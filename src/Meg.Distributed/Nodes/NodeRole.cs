using Meg.Protocols.Plans;

namespace Meg.Distributed.Nodes;

/// <summary>Which plan nodes this process plays (ES k, or the UE) and its name in step records ("es-2", "ue").</summary>
public sealed record NodeRole(IReadOnlySet<NodeId> Nodes, string Worker)
{
    public static NodeRole EdgeServer(int index) => new(new HashSet<NodeId> { NodeId.EdgeServer(index) }, $"es-{index}");

    public static NodeRole UserEquipment { get; } = new(new HashSet<NodeId> { NodeId.UserEquipment }, "ue");

    public bool Serves(NodeId node) => Nodes.Contains(node);
}
