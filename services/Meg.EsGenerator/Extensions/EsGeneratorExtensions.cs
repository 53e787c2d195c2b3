using Meg.Distributed.Hosting;
using Meg.Distributed.Jobs;
using Meg.Distributed.Nodes;

namespace Meg.EsGenerator.Extensions;

public static class EsGeneratorExtensions
{
    /// <summary>Edge-server instance Meg:EdgeIndex (1..K) with Meg:Slots concurrent stages, consuming queue es-{index}: the
    /// commands of every ES role the scheduler placed on this instance.</summary>
    public static void AddApplicationServices(this IHostApplicationBuilder builder)
    {
        var index = builder.Configuration.GetValue("Meg:EdgeIndex", 1);
        var slots = builder.Configuration.GetValue("Meg:Slots", 1);
        if (index < 1 || slots < 1)
        {
            throw new InvalidOperationException($"Meg:EdgeIndex must be 1 or more (got {index}) and Meg:Slots 1 or more (got {slots}).");
        }

        builder.AddMegStorage();
        builder.AddMegModel();
        builder.Services.AddSingleton(NodeRole.EdgeServer(index));
        builder.AddMegMessaging(
            x => x.AddConsumer<RunStageConsumer>().ExcludeFromConfigureEndpoints(),
            (context, cfg) => cfg.StageEndpoint(context, JobPlanning.EdgeQueue(index), slots));
    }
}
