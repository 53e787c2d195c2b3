using Meg.Protocols.Plans;

namespace Meg.Protocols.BuiltIn;

/// <summary>A named protocol that turns <see cref="PlanParameters"/> into a plan.</summary>
/// <param name="name">The name as MEG.md writes it (e.g. "UIEG").</param>
/// <param name="reading">What the acronym stands for.</param>
/// <param name="multiEdge">Whether the protocol uses several edge servers.</param>
public abstract class ProtocolDefinition(string name, string reading, bool multiEdge)
{
    public string Name { get; } = name;

    public string Reading { get; } = reading;

    public bool MultiEdge { get; } = multiEdge;

    public abstract ProtocolPlan Build(PlanParameters parameters);
}
