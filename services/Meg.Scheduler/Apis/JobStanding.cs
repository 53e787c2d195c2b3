using Meg.Distributed.Admission;
using Meg.Distributed.Jobs;
using Meg.Protocols.Plans;

namespace Meg.Scheduler.Apis;

/// <summary>Where a job waits now: the queue of its next command that may run (every command it waits for has finished,
/// itself has not), read from the system's queue snapshot. What the event stream tells a client while it waits.</summary>
public sealed class JobStanding(SystemQueues queues)
{
    public async Task<QueueStanding?> OfAsync(PlannedJob job, JobStatus status)
    {
        var done = status.Steps.Select(s => s.Index).ToHashSet();
        var commands = job.Schedule.Commands;
        var next = commands.FirstOrDefault(c => !done.Contains(c.FirstStep) && c.WaitsFor.All(w => done.Contains(commands[w].FirstStep)));
        if (next is null)
        {
            return null;
        }

        var queue = job.Plan.Steps[next.FirstStep] is Stage stage ? JobPlanning.QueueOf(stage.Node, job.Spec) : JobPlanning.ChannelQueue;
        var snapshot = await queues.SnapshotAsync();
        return snapshot.Nodes.FirstOrDefault(n => n.Queue == queue) is { } node
            ? new QueueStanding(queue, node.Depth, node.InProgress, snapshot.JobsInSystem, snapshot.MaxJobs)
            : null;
    }
}
