using System.Diagnostics;
using MassTransit;
using Meg.Components.Jobs;
using Meg.Components.Storage;
using Meg.Components.Telemetry;
using Meg.Contracts;
using Meg.Diffusion.Pipeline;
using Meg.Execution;
using Meg.Imaging;
using Meg.Protocols.Plans;
using Microsoft.Extensions.Logging;

namespace Meg.Components.Nodes;

/// <summary>
/// Runs one stage of a job on this node (an edge server or the UE) with the shared <see cref="StageRunner"/>:
/// loads the node's memory from the claim-check store, runs, stores the outputs, reports the timings.
/// </summary>
public sealed class RunStageConsumer(
    ModelHost model,
    NodeRole role,
    JobStore jobs,
    ClaimCheckStore claims,
    TextEmbeddingCache embeddings,
    MegMetrics metrics,
    ILogger<RunStageConsumer> logger) : IConsumer<RunStage>
{
    public async Task Consume(ConsumeContext<RunStage> context)
    {
        var message = context.Message;
        var queueMs = context.SentTime is { } sent ? Math.Max(0, (DateTime.UtcNow - sent).TotalMilliseconds) : 0;
        try
        {
            var node = NodeId.Parse(message.Node);
            if (!role.Serves(node))
            {
                throw new InvalidOperationException($"{role.Worker} plays {string.Join(", ", role.Nodes)}, not {node}; check the queue bindings.");
            }

            var spec = await jobs.RequireSpecAsync(message.JobId);
            var plan = JobPlanning.Build(spec);
            var stage = message.StepIndex >= 0 && message.StepIndex < plan.Steps.Count && plan.Steps[message.StepIndex] is Stage s && s.Node == node
                ? s
                : throw new InvalidOperationException($"Step {message.StepIndex} of plan {plan.Name} is not a stage on {node}.");
            var memory = await claims.LoadAsync(message.JobId, node);
            // The runner reads the prompt and images from the node's memory; the request supplies the settings.
            var input = memory.Has(Artifact.InputImage) ? memory.Get<RgbImage>(Artifact.InputImage) : RgbImage.Filled(1, 1, new Rgb(0, 0, 0));
            var request = new GenerationRequest(spec.Prompt, input, spec.Settings);
            model.Runner.RequireCompatible(plan, request);

            var clock = Stopwatch.StartNew();
            var cacheHit = false;
            if (stage.Kind == StageKind.TextEncode && await embeddings.TryGetAsync(model.Name, memory.Get<string>(Artifact.Prompt)) is { } cached)
            {
                memory.Put(Artifact.TextEmbedding, cached);
                cacheHit = true;
            }
            else
            {
                model.Runner.Run(stage, plan, memory, request, spec.Transmission);
                if (stage.Kind == StageKind.TextEncode)
                {
                    await embeddings.PutAsync(model.Name, memory.Get<string>(Artifact.Prompt), memory.Get<TextConditioning>(Artifact.TextEmbedding));
                }
            }

            var serviceMs = clock.Elapsed.TotalMilliseconds;
            var outputs = new List<string>();
            foreach (var output in stage.Outputs(plan))
            {
                outputs.Add(await claims.PutAsync(message.JobId, node, output, memory.Get<object>(output)));
            }

            metrics.Stage(role.Worker, stage.Kind.ToString(), queueMs, serviceMs);
            await context.Publish(new StepCompleted(message.JobId, message.StepIndex, role.Worker, queueMs, serviceMs, cacheHit, outputs));
        }
        catch (Exception e) when (StepFailures.IsPermanent(e))
        {
            logger.LogWarning(e, "Job {Job} step {Step} failed on {Worker}", message.JobId, message.StepIndex, role.Worker);
            await context.Publish(new StepFailed(message.JobId, message.StepIndex, role.Worker, e.Message));
        }
    }
}
