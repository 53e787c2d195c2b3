using Meg.Protocols.Plans;

namespace Meg.Protocols.BuiltIn;

/// <summary>A named protocol that turns <see cref="PlanParameters"/> into a plan.</summary>
public interface IProtocolDefinition
{
    /// <summary>The name as MEG.md writes it (e.g. "UIEG").</summary>
    string Name { get; }

    /// <summary>What the acronym stands for.</summary>
    string Reading { get; }

    /// <summary>Whether the protocol uses several edge servers.</summary>
    bool MultiEdge { get; }

    ProtocolPlan Build(PlanParameters parameters);
}
