using Meg.Protocols.Plans;

namespace Meg.Protocols.Costs;

/// <summary>Work per node and load per link of a plan, from the plan and the model's dimensions alone.</summary>
public sealed record PlanCost(
    ProtocolPlan Plan,
    ModelDimensions Model,
    IReadOnlyList<NodeWork> Work,
    IReadOnlyList<TransferCost> Transfers)
{
    public PayloadLoad ForLink(LinkKind link) =>
        Transfers.Where(t => t.Transfer.Link == link).Aggregate(PayloadLoad.Zero, (sum, t) => sum + t.Load);

    public PayloadLoad Total => Transfers.Aggregate(PayloadLoad.Zero, (sum, t) => sum + t.Load);

    public NodeWork WorkOf(NodeId node) => Work.First(w => w.Node == node);
}
