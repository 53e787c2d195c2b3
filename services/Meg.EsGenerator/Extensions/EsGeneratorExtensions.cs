using Meg.Distributed.Hosting;
using Meg.Distributed.Jobs;
using Meg.Distributed.Nodes;

namespace Meg.EsGenerator.Extensions;

public static class EsGeneratorExtensions
{
    /// <summary>Edge-server instance Meg:EdgeIndex (1..K) with Meg:Slots concurrent stages, consuming queue es-{index}: the
    /// commands of every ES role the scheduler placed on this instance. With batching on (Meg:Batching:MaxBatch above 1) it
    /// takes that many commands at once instead, and their model calls run together.</summary>
    public static void AddApplicationServices(this IHostApplicationBuilder builder)
    {
        var index = builder.Configuration.GetValue("Meg:EdgeIndex", 1);
        var slots = builder.Configuration.GetValue("Meg:Slots", 1);
        if (index < 1 || slots < 1)
        {
            throw new InvalidOperationException($"Meg:EdgeIndex must be 1 or more (got {index}) and Meg:Slots 1 or more (got {slots}).");
        }

        var maxBatch = builder.Configuration.GetValue("Meg:Batching:MaxBatch", 1);
        if (maxBatch > 1 && slots > 1)
        {
            throw new InvalidOperationException($"Meg:Slots ({slots}) and Meg:Batching:MaxBatch ({maxBatch}) both ask for concurrent stages: with batching, keep Meg:Slots at 1.");
        }

        var concurrent = Math.Max(slots, maxBatch);

        builder.AddMegStorage();
        builder.AddMegModel();
        builder.Services.AddSingleton(NodeRole.EdgeServer(index));
        builder.AddMegMessaging(
            x => x.AddConsumer<RunStageConsumer>().ExcludeFromConfigureEndpoints(),
            (context, cfg) => cfg.StageEndpoint(context, JobPlanning.EdgeQueue(index), concurrent));
    }
}
