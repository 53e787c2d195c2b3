using System.Diagnostics;
using MassTransit;
using Meg.Contracts;
using Meg.Distributed.Commands;
using Meg.Distributed.Admission;
using Meg.Distributed.Jobs;
using Meg.Distributed.Storage;
using Meg.Distributed.Telemetry;
using Meg.Execution.Scheduling;
using Meg.Execution;
using Meg.Protocols.Plans;
using Microsoft.Extensions.Logging;

namespace Meg.Distributed.Nodes;

/// <summary>
/// The channel emulator: carries a transfer's artifacts (or those of several transfers that follow each other
/// between the same nodes) from the sender's memory to the receiver's through the job's channel with the shared
/// <see cref="PayloadTransport"/>, sends on the commands this one released (<see cref="CommandRelease"/>), and records
/// what each crossing cost (<see cref="JobProgress"/>).
/// </summary>
public sealed class CarryTransferConsumer(
    JobStore jobs,
    ClaimCheckStore claims,
    CommandRelease release,
    JobProgress progress,
    MegMetrics metrics,
    QueueWatch queues,
    JobEnding ending,
    ILogger<CarryTransferConsumer> logger)
    : IConsumer<CarryTransfer>
{
    public const string Worker = "channel-emulator";

    public async Task Consume(ConsumeContext<CarryTransfer> context)
    {
        var message = context.Message;
        var queueMs = context.SentTime is { } sent ? Math.Max(0, (DateTime.UtcNow - sent).TotalMilliseconds) : 0;
        var clock = Stopwatch.StartNew(); // loading the job included, so the timings add up to the worker's time
        queues.Started(context, JobPlanning.ChannelQueue);

        try
        {
            using var load = MegTracing.Start("load", MegTracing.Parts.Storage, message.JobId, message.StepIndex);
            var failedAlready = ending.HasFailedAsync(message.JobId);
            var job = await jobs.RequireJobAsync(message.JobId, message.Spec);
            var (spec, plan, schedule, _) = job;
            if (await failedAlready)
            {
                logger.LogInformation("Job {Job} has failed already; step {Step} is dropped", message.JobId, message.StepIndex);
                return;
            }

            queues.ThrowIfWaitedTooLong(spec, queueMs, Worker);
            var transfers = Enumerable.Range(message.StepIndex, Math.Max(1, message.Count)).Select(step =>
                step >= 0 && step < plan.Steps.Count && plan.Steps[step] is Transfer t
                    ? t
                    : throw new InvalidOperationException($"Step {step} of plan {plan.Name} is not a transfer.")).ToArray();
            var index = schedule.TransferIndexOf(message.StepIndex);
            if (index != message.TransferIndex)
            {
                throw new InvalidOperationException($"Step {message.StepIndex} is transfer {index} of the plan, but the message says {message.TransferIndex}.");
            }

            // Every transfer of a command leaves the same node, whose memory the command does not change: one read
            // fetches all their payloads.
            var from = await claims.LoadAsync(message.JobId, transfers[0].From, transfers.SelectMany(t => t.Artifacts).Distinct());
            load?.Stop();
            var transport = new PayloadTransport(spec.Transmission);
            var runs = new List<StepRun>();
            var writes = new List<Task<string>>();
            foreach (var transfer in transfers)
            {
                var to = new NodeMemory(transfer.To);
                var step = message.StepIndex + runs.Count;
                var channelClock = Stopwatch.StartNew();
                TransferRecord record;
                using (MegTracing.Start(transfer.Describe(), MegTracing.Parts.Compute, message.JobId, step))
                {
                    record = transport.Send(transfer, from, to, PayloadTransport.NoiseRandomSeed(spec.ChannelRandomSeed, index + runs.Count));
                }

                // Written while the next transfer runs: nothing reads them before the command ends.
                var computeMs = channelClock.Elapsed.TotalMilliseconds;
                writes.AddRange(transfer.Artifacts.Select(artifact =>
                    claims.PutAsync(message.JobId, transfer.To, artifact, to.Get<object>(artifact), to.ArrivedOverAir(artifact))));
                var serviceMs = clock.Elapsed.TotalMilliseconds;
                clock.Restart();
                metrics.Transfer(transfer.Link.ShortName(), record.ChannelUses);
                runs.Add(new StepRun(serviceMs, false, DateTime.UtcNow, new TransferMeasurement(record.Values, record.Bits, record.ChannelUses,
                    record.AirtimeSeconds, record.BitErrors, record.Outage, record.DecodeFailed, record.MeasuredSnrDb), computeMs));
            }

            // The released commands go first: they are on the job's critical path, the record is not (unless it is the last).
            // The release's sign-ins go out behind the writes; the last transfer's time runs to everything stored.
            var stored = Task.WhenAll(writes);
            var releasing = release.AfterAsync(message.JobId, schedule, schedule.At(message.StepIndex), stored);
            using (MegTracing.Start("store", MegTracing.Parts.Storage, message.JobId, message.StepIndex))
            {
                await stored;
            }

            runs[^1] = runs[^1] with { ServiceMs = runs[^1].ServiceMs + clock.Elapsed.TotalMilliseconds, FinishedAt = DateTime.UtcNow };
            metrics.Command(Worker, runs, _ => "Transfer", queueMs);

            var outputs = stored.Result.ToList();
            IReadOnlyList<PlanCommand> released;
            using (MegTracing.Start("release", MegTracing.Parts.Storage, message.JobId, message.StepIndex))
            {
                released = await releasing;
            }

            await CommandDispatch.SendAllAsync(context, job, released);
            using (MegTracing.Start("record", MegTracing.Parts.Storage, message.JobId, message.StepIndex))
            {
                await progress.RecordAsync(context, job, new StepCompleted(message.JobId, message.StepIndex, Worker, queueMs, context.SentTime, runs, outputs));
            }
        }
        catch (Exception e) when (StepFailures.IsPermanent(e))
        {
            logger.LogWarning(e, "Job {Job} transfer step {Step} failed", message.JobId, message.StepIndex);
            await context.Publish(new StepFailed(message.JobId, message.StepIndex, Worker, e.Message));
        }
        catch
        {
            queues.Abandoned(context, JobPlanning.ChannelQueue);
            throw;
        }

        queues.Finished(context, JobPlanning.ChannelQueue, queueMs, clock.Elapsed.TotalMilliseconds);
    }
}
