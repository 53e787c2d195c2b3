using Meg.Distributed.Jobs;
using Meg.Protocols.Plans;

namespace Meg.Distributed.Nodes;

/// <summary>What this process plays: edge-server instance k (any ES role of a job the scheduler placed on it), the UE,
/// or, in tests, several; and its name in step records ("es-2", "ue").</summary>
public sealed record NodeRole(bool UserEquipment, IReadOnlySet<int> EdgeInstances, string Worker)
{
    public static NodeRole EdgeServer(int instance) => new(false, new HashSet<int> { instance }, $"es-{instance}");

    public static NodeRole Device { get; } = new(true, new HashSet<int>(), "ue");

    /// <summary>Whether this process plays <paramref name="node"/> of <paramref name="spec"/>'s job.</summary>
    public bool Serves(NodeId node, JobSpec spec) => node.IsUserEquipment ? UserEquipment : EdgeInstances.Contains(spec.InstanceOf(node));
}
