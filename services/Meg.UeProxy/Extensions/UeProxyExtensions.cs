using Meg.Distributed.Hosting;
using Meg.Distributed.Jobs;
using Meg.Distributed.Nodes;

namespace Meg.UeProxy.Extensions;

public static class UeProxyExtensions
{
    public static void AddApplicationServices(this IHostApplicationBuilder builder)
    {
        // A user device has no GPU: the UE's model parts always run on CPU.
        builder.Configuration["Meg:Provider"] = "cpu";
        builder.AddMegStorage();
        builder.AddMegModel();
        builder.Services.AddSingleton(NodeRole.Device);
        // Every user has a device of their own: one lane per job in progress, so no user's device work waits behind
        // another's (the edge servers' queues are where users wait).
        var lanes = builder.Configuration.GetValue("Meg:UeLanes", 256);
        if (lanes < 1)
        {
            throw new InvalidOperationException($"Meg:UeLanes must be 1 or more; got {lanes}.");
        }

        builder.AddMegMessaging(
            x => x.AddConsumer<RunStageConsumer>().ExcludeFromConfigureEndpoints(),
            (context, cfg) => cfg.StageEndpoint(context, JobPlanning.UserEquipmentQueue, lanes));
    }
}
