using Meg.Distributed.Hosting;
using Meg.Distributed.Jobs;
using Meg.Distributed.Nodes;
using Meg.Protocols.Plans;

namespace Meg.UeProxy.Extensions;

public static class UeProxyExtensions
{
    public static void AddApplicationServices(this IHostApplicationBuilder builder)
    {
        // A user device has no GPU: the UE's model parts always run on CPU.
        builder.Configuration["Meg:Provider"] = "cpu";
        builder.AddMegStorage();
        builder.AddMegModel();
        builder.Services.AddSingleton(NodeRole.UserEquipment);
        var slots = builder.Configuration.GetValue("Meg:Slots", 1);
        builder.AddMegMessaging(
            x => x.AddConsumer<RunStageConsumer>().ExcludeFromConfigureEndpoints(),
            (context, cfg) => cfg.StageEndpoint(context, JobPlanning.QueueOf(NodeId.UserEquipment), slots));
    }
}
