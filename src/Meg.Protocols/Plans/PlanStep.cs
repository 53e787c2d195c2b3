namespace Meg.Protocols.Plans;

/// <summary>One entry of a plan's ordered list: a <see cref="Stage"/> or a <see cref="Transfer"/>.</summary>
public abstract record PlanStep
{
    /// <summary>What must already be on the node(s) involved before this step runs.</summary>
    public abstract IReadOnlyList<Artifact> Inputs(ProtocolPlan plan);

    /// <summary>A short label such as "D[0,10) on ES1" or "UL seed UE->ES1".</summary>
    public abstract string Describe();
}
