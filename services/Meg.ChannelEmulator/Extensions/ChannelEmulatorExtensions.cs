using MassTransit;
using Meg.Distributed.Hosting;
using Meg.Distributed.Jobs;
using Meg.Distributed.Nodes;

namespace Meg.ChannelEmulator.Extensions;

public static class ChannelEmulatorExtensions
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
