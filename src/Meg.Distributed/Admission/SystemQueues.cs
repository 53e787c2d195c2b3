using Meg.Distributed.Jobs;
using Microsoft.Extensions.Options;

namespace Meg.Distributed.Admission;

/// <summary>A snapshot of every node's queue (each edge-server instance, the UE, the channel emulator) and of the
/// admission gate: what <c>GET /api/system/queues</c> answers and the scheduler's gauges report.</summary>
public sealed class SystemQueues(QueueWatch queues, JobAdmission admission, IOptions<SchedulerOptions> deployment, IOptions<Nodes.DeviceOptions> device,
    CompletionRate completions, Storage.IBlobStore store)
{
    public async Task<SystemQueueSnapshot> SnapshotAsync()
    {
        var edges = Enumerable.Range(1, deployment.Value.EdgeServers).Select(JobPlanning.EdgeQueue);
        var names = edges.Append(JobPlanning.UserEquipmentQueue).Append(JobPlanning.ChannelQueue).ToArray();
        // Every read goes out at once: one round trip.
        var reading = Task.WhenAll(names.Select(queues.ReadAsync));
        var loading = admission.LoadAsync();
        var inSystem = admission.JobsInSystemAsync();
        var deadLetters = store.GetCounterAsync(Scheduler.JobDriver.DeadLetteredKey);
        var (counters, load, jobs, deadLettered) = (await reading, await loading, await inSystem, await deadLetters);
        var nodes = counters.Select((c, i) => new NodeQueue(
            c.Queue,
            i < deployment.Value.EdgeServers ? "edge-server" : c.Queue == JobPlanning.UserEquipmentQueue ? "user-equipment" : "channel",
            c.Depth, c.InProgress, c.Sent, c.Started, c.Finished, c.MeanWaitMs, c.MeanServiceMs,
            i < deployment.Value.EdgeServers ? load.GetValueOrDefault(i + 1) : null)).ToArray();
        return new SystemQueueSnapshot(DateTimeOffset.UtcNow, jobs, admission.MaxJobs, completions.PerSecond(), device.Value.UeSpeed, deadLettered, nodes);
    }
}

/// <summary>The system's queues at <paramref name="At"/>; see <see cref="SystemQueues"/>. <paramref name="DeadLettered"/>:
/// commands that failed after every retry, since the system started.</summary>
public sealed record SystemQueueSnapshot(DateTimeOffset At, long JobsInSystem, int MaxJobs, double? CompletionsPerSecond, double UeSpeed, long DeadLettered,
    IReadOnlyList<NodeQueue> Nodes);

/// <summary>One node's queue: commands waiting (<paramref name="Depth"/>) and running, totals since the system started,
/// mean queue wait and service time per command, and for an edge server the work (model evaluations) placed on it by
/// jobs in the system.</summary>
public sealed record NodeQueue(
    string Queue,
    string Kind,
    long Depth,
    long InProgress,
    long Sent,
    long Started,
    long Finished,
    double? MeanWaitMs,
    double? MeanServiceMs,
    double? PlacedWork);
