using MassTransit;
using Meg.Components.Hosting;
using Meg.Components.Jobs;
using Meg.Components.Nodes;

namespace Meg.ChannelEmulator.Extensions;

public static class Extensions
{
    public static void AddApplicationServices(this IHostApplicationBuilder builder)
    {
        builder.AddMegStorage();
        builder.AddMegMessaging(
            x => x.AddConsumer<CarryTransferConsumer>().ExcludeFromConfigureEndpoints(),
            (context, cfg) => cfg.ReceiveEndpoint(JobPlanning.ChannelQueue, e =>
            {
                e.ConfigureConsumeTopology = false;
                e.ConfigureConsumer<CarryTransferConsumer>(context);
            }));
    }
}
