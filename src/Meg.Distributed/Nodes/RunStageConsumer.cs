using System.Diagnostics;
using MassTransit;
using Meg.Contracts;
using Meg.Diffusion.Pipeline;
using Meg.Distributed.Admission;
using Meg.Distributed.Commands;
using Meg.Distributed.Jobs;
using Meg.Distributed.Storage;
using Meg.Distributed.Telemetry;
using Meg.Execution.Scheduling;
using Meg.Execution;
using Meg.Imaging;
using Meg.Protocols.Plans;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Meg.Distributed.Nodes;

/// <summary>
/// Runs one stage of a job, or several that follow each other on this node, on this node (an edge server or the
/// UE) with the shared <see cref="StageRunner"/>: loads the node's memory from the claim-check store, runs, stores
/// the outputs, sends on the commands this one released (<see cref="CommandRelease"/>), records the timings
/// (<see cref="JobProgress"/>).
/// </summary>
public sealed class RunStageConsumer(
    ModelHost model,
    NodeRole role,
    JobStore jobs,
    ClaimCheckStore claims,
    TextEmbeddingCache embeddings,
    CommandRelease release,
    JobProgress progress,
    MegMetrics metrics,
    QueueWatch queues,
    IOptions<DeviceOptions> device,
    JobEnding ending,
    ILogger<RunStageConsumer> logger) : IConsumer<RunStage>
{
    public async Task Consume(ConsumeContext<RunStage> context)
    {
        var queueMs = context.SentTime is { } sent ? Math.Max(0, (DateTime.UtcNow - sent).TotalMilliseconds) : 0;
        var queue = QueueSendObserver.QueueName(context.ReceiveContext.InputAddress);
        queues.Started(context, queue);

        var clock = Stopwatch.GetTimestamp();
        try
        {
            await ProcessAsync(context, context.Message, context.SentTime, queueMs);
        }
        catch
        {
            queues.Abandoned(context, queue);
            throw;
        }

        queues.Finished(context, queue, queueMs, Stopwatch.GetElapsedTime(clock).TotalMilliseconds);
    }

    /// <summary>Runs <paramref name="message"/>'s stages, stores their outputs, sends on what they released and records it.
    /// On the UE, a released command for the UE itself runs here at once: a user's device does not queue behind other
    /// users' work (the edge servers' queues do, so their commands always go through the broker).</summary>
    private async Task ProcessAsync(ConsumeContext context, RunStage message, DateTime? sentAt, double queueMs, NodeMemory? kept = null, Task? earlierStores = null)
    {
        // A stage's service time runs from the end of the one before (for the first: from the start, loading the
        // job and the node's memory included) to its outputs handed to the store (for the last: to all of the
        // command's outputs stored), so the timings add up to the worker's time.
        var checkpoint = Stopwatch.GetTimestamp();
        try
        {
            var node = NodeId.Parse(message.Node);
            // The node's memory as the command before left it, when that one was all this command waited for; else loaded.
            using var load = MegTracing.Start("load", MegTracing.Parts.Storage, message.JobId, message.StepIndex);
            var loading = kept is null ? claims.LoadAsync(message.JobId, node) : Task.FromResult(kept);
            // A command of a job that has failed (its deadline, another step) is dropped rather than run: under overload,
            // an edge server's queue drains the dead jobs' work at once. Asked beside the load, so it costs no round trip.
            var failedAlready = kept is null ? ending.HasFailedAsync(message.JobId) : Task.FromResult(false);
            var job = await jobs.RequireJobAsync(message.JobId, message.Spec);
            var (spec, plan, schedule, _) = job;
            if (!role.Serves(node, spec))
            {
                throw new InvalidOperationException($"{role.Worker} does not play {node} of job {spec.Id} (placed on es-{spec.InstanceOf(node)}); check the queue bindings.");
            }

            queues.ThrowIfWaitedTooLong(spec, queueMs, role.Worker);
            var stages = Enumerable.Range(message.StepIndex, Math.Max(1, message.Count)).Select(index =>
                index >= 0 && index < plan.Steps.Count && plan.Steps[index] is Stage s && s.Node == node
                    ? s
                    : throw new InvalidOperationException($"Step {index} of plan {plan.Name} is not a stage on {node}.")).ToArray();
            // A text encoding's cache lookup goes out beside the memory load, for the job's prompt: the prompt travels
            // digitally with a strong code, so it almost always arrives intact (a damaged one is encoded, not looked up).
            // When another node is encoding the prompt, the lookup waits for its result.
            var cachedText = stages.Any(s => s.Kind == StageKind.TextEncode) ? embeddings.GetOrClaimAsync(model.Name, spec.Prompt, role.Worker) : null;
            var memory = await loading;
            load?.Stop();
            if (await failedAlready)
            {
                logger.LogInformation("Job {Job} has failed already; step {Step} on {Worker} is dropped", message.JobId, message.StepIndex, role.Worker);
                return;
            }

            // The runner reads the prompt and images from the node's memory; the request supplies the settings.
            var input = memory.Has(Artifact.InputImage) ? memory.Get<RgbImage>(Artifact.InputImage) : RgbImage.Filled(1, 1, new Rgb(0, 0, 0));
            var request = new GenerationRequest(spec.Prompt, input, spec.Settings);
            model.Runner.RequireCompatible(plan, request);

            var runs = new StepRun[stages.Length];
            var stored = new List<Task<string>>();
            var cacheWrites = new List<Task>();
            var (clockUtc, clock) = (DateTime.UtcNow, Stopwatch.GetTimestamp());
            DateTime Utc(long timestamp) => clockUtc + Stopwatch.GetElapsedTime(clock, timestamp);
            var lastWaveStarted = checkpoint;
            foreach (var wave in StageWaves.Of(stages))
            {
                // The stages of a wave run at once, each on its own thread when there are several. Each one's service
                // time runs from the wave's start to its outputs handed to the store.
                var started = lastWaveStarted = checkpoint;
                var done = wave.Count == 1
                    ? [await RunAndStoreAsync(wave[0])]
                    : await Task.WhenAll(wave.Select(k => Task.Run(() => RunAndStoreAsync(k))));
                foreach (var (k, cacheHit, compute, writes, cacheWrite, ended) in done)
                {
                    stored.AddRange(writes);
                    if (cacheWrite is not null)
                    {
                        cacheWrites.Add(cacheWrite);
                    }

                    runs[k] = new StepRun(Stopwatch.GetElapsedTime(started, ended).TotalMilliseconds, cacheHit, Utc(ended), ComputeMs: compute.TotalMilliseconds,
                        StartedAt: k > wave[0] ? Utc(started) : null);
                }

                checkpoint = done.Max(d => d.Ended);
            }

            // Runs stage k, then hands its outputs (and a new text encoding, for later jobs) to the store, which writes
            // them while the next stage computes: the values are serialized at once, and nothing reads them before the
            // command ends.
            async Task<(int K, bool CacheHit, TimeSpan Compute, Task<string>[] Writes, Task? CacheWrite, long Ended)> RunAndStoreAsync(int k)
            {
                var (cacheHit, compute) = await RunAsync(stages[k], message.StepIndex + k, plan, memory, request, spec, cachedText, context.CancellationToken);
                // Only the job's own prompt is shared: a damaged one's encoding is this job's alone.
                var cacheWrite = stages[k].Kind == StageKind.TextEncode && !cacheHit && memory.Get<string>(Artifact.Prompt) == spec.Prompt
                    ? embeddings.PutAsync(model.Name, spec.Prompt, memory.Get<TextConditioning>(Artifact.TextEmbedding))
                    : null;
                var writes = stages[k].Outputs(plan).Select(output => claims.PutAsync(message.JobId, node, output, memory.Get<object>(output))).ToArray();
                return (k, cacheHit, compute, writes, cacheWrite, Stopwatch.GetTimestamp());
            }

            var current = schedule.At(message.StepIndex);
            var storing = Task.WhenAll(stored.Concat(cacheWrites));
            // Everything this node has stored for the job so far: what a command released after this one may read.
            var durable = earlierStores is null ? storing : Task.WhenAll(storing, earlierStores);

            // The command's last step runs to everything stored. Then the released commands go first: they are on the
            // job's critical path, the record is not (unless it is the last).
            async Task<IReadOnlyList<PlanCommand>> StoreAndReleaseAsync(PlanCommand? startedAlready)
            {
                using var store = MegTracing.Start("store", MegTracing.Parts.Storage, message.JobId, message.StepIndex);
                // Every write is issued by now: the release's sign-ins go out behind them.
                var releasing = release.AfterAsync(message.JobId, schedule, current, durable);
                await storing;
                var allStored = Stopwatch.GetTimestamp();
                runs[^1] = runs[^1] with { ServiceMs = Stopwatch.GetElapsedTime(lastWaveStarted, allStored).TotalMilliseconds, FinishedAt = Utc(allStored) };
                metrics.Command(role.Worker, runs, k => stages[k].Kind.ToString(), queueMs);

                await durable;
                store?.Stop();
                using var _ = MegTracing.Start("release", MegTracing.Parts.Storage, message.JobId, message.StepIndex);
                return (await releasing).Where(c => c != startedAlready).ToArray();
            }

            async Task RecordAsync()
            {
                using var _ = MegTracing.Start("record", MegTracing.Parts.Storage, message.JobId, message.StepIndex);
                await progress.RecordAsync(context, job, new StepCompleted(message.JobId, message.StepIndex, role.Worker, queueMs, sentAt, runs,
                    stored.Select(t => t.Result).ToList()));
            }

            // On the UE, the UE's own next command that waits for this one alone starts at once, on the memory as this one
            // left it, while this one's outputs are still being stored: it reads them from memory, and whatever it
            // releases waits for them to be stored (durable) before it goes.
            var next = node.IsUserEquipment
                ? schedule.Successors(current).FirstOrDefault(c => c.Predecessors.Count == 1 && plan.Steps[c.FirstStep] is Stage s && s.Node == node)
                : null;
            if (next is not null)
            {
                var handedOn = HandOnAsync();
                try
                {
                    await ProcessAsync(context, CommandDispatch.Message(job, next).Stage!, DateTime.UtcNow, 0, memory, durable);
                }
                finally
                {
                    await handedOn;
                }

                return;

                async Task HandOnAsync()
                {
                    await CommandDispatch.SendAllAsync(context, job, await StoreAndReleaseAsync(next));
                    await RecordAsync();
                }
            }

            var released = await StoreAndReleaseAsync(null);
            var own = node.IsUserEquipment ? released.FirstOrDefault(c => plan.Steps[c.FirstStep] is Stage s && s.Node == node) : null;
            var sent = CommandDispatch.SendAllAsync(context, job, released.Where(c => c != own));
            if (own is not null)
            {
                // An own command that waited for other commands too (a join this one completed) starts without waiting for
                // the broker to confirm the others or for the record; it loads the node's memory, which holds their outputs.
                var reported = RecordAsync();
                try
                {
                    await ProcessAsync(context, CommandDispatch.Message(job, own).Stage!, DateTime.UtcNow, 0);
                }
                finally
                {
                    await sent;
                    await reported;
                }

                return;
            }

            await sent;
            await RecordAsync();
        }
        catch (Exception e) when (StepFailures.IsPermanent(e))
        {
            logger.LogWarning(e, "Job {Job} step {Step} failed on {Worker}", message.JobId, message.StepIndex, role.Worker);
            await context.Publish(new StepFailed(message.JobId, message.StepIndex, role.Worker, e.Message));
        }
    }

    /// <summary>Runs one stage into <paramref name="memory"/>; a text encoding may come from the cache (then no compute):
    /// <paramref name="cachedText"/> is the lookup, started with the command.</summary>
    private async Task<(bool CacheHit, TimeSpan Compute)> RunAsync(Stage stage, int step, ProtocolPlan plan, NodeMemory memory, GenerationRequest request, JobSpec spec,
        Task<TextConditioning?>? cachedText, CancellationToken cancellationToken)
    {
        if (stage.Kind == StageKind.TextEncode && cachedText is not null)
        {
            if (memory.Get<string>(Artifact.Prompt) != spec.Prompt)
            {
                // The channel damaged this node's copy of the prompt: it is encoded here. A claim the lookup took on the
                // job's prompt goes back at once, so other nodes need not wait for it to expire.
                if (await cachedText is null)
                {
                    await embeddings.ReleaseAsync(model.Name, spec.Prompt);
                }
            }
            else
            {
                // The lookup may wait for another node's encoding of the prompt: storage, not this node's model.
                TextConditioning? cached;
                using (MegTracing.Start("text cache", MegTracing.Parts.Storage, spec.Id, step))
                {
                    cached = await cachedText;
                }

                if (cached is not null)
                {
                    memory.Put(Artifact.TextEmbedding, cached);
                    return (true, TimeSpan.Zero);
                }
            }
        }

        TimeSpan compute;
        using (MegTracing.Start(stage.Describe(), MegTracing.Parts.Compute, spec.Id, step))
        {
            // An edge server's model calls may be batched with other jobs' (Meg:Batching); a user's device runs its own.
            compute = await model.RunnerFor(stage.Node).RunAsync(stage, plan, memory, request, spec.Transmission, cancellationToken);
        }

        // A user's device slower than this machine: the stage is computed for real, then its result is held back for
        // the difference, so the job sees the device's time (Meg:UeSpeed, 1 = as fast as here).
        if (stage.Node.IsUserEquipment && device.Value.UeSpeed < 1)
        {
            var hold = compute * (1 / device.Value.UeSpeed - 1);
            using (MegTracing.Start("device speed", MegTracing.Parts.Compute, spec.Id, step))
            {
                await Task.Delay(hold);
            }

            compute += hold;
        }

        return (false, compute);
    }
}
