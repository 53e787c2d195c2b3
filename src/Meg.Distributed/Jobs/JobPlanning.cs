using Meg.Protocols.BuiltIn;
using Meg.Protocols.Costs;
using Meg.Protocols.Plans;
using Meg.Protocols;

namespace Meg.Distributed.Jobs;

/// <summary>From a job to its plan, and from a plan's nodes to the queues of the services that play them.</summary>
public static class JobPlanning
{
    public const string UserEquipmentQueue = "ue";
    public const string ChannelQueue = "channel-emulator";

    /// <summary>Builds the plan; every service calls this on the same spec and gets the same plan.</summary>
    public static ProtocolPlan Build(JobSpec spec) => ProtocolCatalog.Build(spec.Protocol, spec.Plan);

    /// <summary>The queue of edge-server instance <paramref name="instance"/>: "es-1", "es-2", ...</summary>
    public static string EdgeQueue(int instance) => $"es-{instance}";

    /// <summary>The queue of the service that plays <paramref name="node"/> in <paramref name="spec"/>'s job: "ue", or the
    /// queue of the edge-server instance the scheduler placed that ES role on.</summary>
    public static string QueueOf(NodeId node, JobSpec spec) => node.IsUserEquipment ? UserEquipmentQueue : EdgeQueue(spec.InstanceOf(node));

    /// <summary>"auto": the single-ES protocol of the case study that uses the fewest channel uses for this model.</summary>
    public static string ChooseAutomatically(ModelDimensions model, PlanParameters parameters, int promptBytes) =>
        ProtocolCatalog.CaseStudy
            .Select(name => (Name: name, Uses: PlanCostCalculator.Compute(ProtocolCatalog.Build(name, parameters), model,
                new AccountingOptions { PromptBytes = Math.Max(1, promptBytes) }).Total.ChannelUses))
            .OrderBy(p => p.Uses)
            .First().Name;
}
