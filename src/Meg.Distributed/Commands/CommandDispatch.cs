using MassTransit;
using Meg.Contracts;
using Meg.Distributed.Jobs;
using Meg.Distributed.Storage;
using Meg.Execution.Scheduling;
using Meg.Protocols.Plans;

namespace Meg.Distributed.Commands;

/// <summary>
/// Turns a plan's commands into messages and sends them to the queue of the service that runs them: a node's
/// stages to its queue ("ue", "es-1", ...), transfers to the channel emulator. The scheduler sends through it when a
/// job starts, and so does every worker that releases the commands after its own (<see cref="CommandRelease"/>).
/// </summary>
public static class CommandDispatch
{
    /// <summary>The message for <paramref name="command"/> of <paramref name="job"/>.</summary>
    public static CommandMessage Message(PlannedJob job, PlanCommand command)
    {
        var (jobId, plan) = (job.Spec.Id, job.Plan);
        // What the command reads from earlier steps: its reads, less what its own earlier steps write.
        var inputs = command.Reads.Where(r => !command.Writes.Contains(r)).Select(r => ClaimCheckStore.Reference(jobId, r.Node, r.Artifact)).ToArray();
        var index = command.FirstStep;
        return plan.Steps[index] switch
        {
            Stage stage => new CommandMessage(Stage: new RunStage(jobId, index, stage.Node.ToString(), inputs, command.Count, job.SpecJson)),
            Transfer transfer => new CommandMessage(Transfer: new CarryTransfer(jobId, index, job.Schedule.TransferIndexOf(index),
                transfer.From.ToString(), transfer.To.ToString(), inputs, command.Count, job.SpecJson)),
            var other => throw new InvalidOperationException($"Unknown step type {other.GetType().Name}."),
        };
    }

    /// <summary>Sends <paramref name="command"/> of <paramref name="job"/> to the queue that runs it.</summary>
    public static async Task SendAsync(ISendEndpointProvider endpoints, PlannedJob job, CommandMessage command)
    {
        switch (command)
        {
            case { Stage: { } stage }:
                var node = await endpoints.GetSendEndpoint(new Uri($"queue:{JobPlanning.QueueOf(NodeId.Parse(stage.Node), job.Spec)}"));
                await node.Send(stage);
                break;
            case { Transfer: { } transfer }:
                var channel = await endpoints.GetSendEndpoint(new Uri($"queue:{JobPlanning.ChannelQueue}"));
                await channel.Send(transfer);
                break;
            default:
                throw new InvalidOperationException("A command message names neither a stage nor a transfer.");
        }
    }

    /// <summary>Sends every one of <paramref name="commands"/> at once: each send waits for the broker's confirmation,
    /// and one after another those waits would hold back every command but the first.</summary>
    public static Task SendAllAsync(ISendEndpointProvider endpoints, PlannedJob job, IEnumerable<PlanCommand> commands) =>
        Task.WhenAll(commands.Select(c => SendAsync(endpoints, job, Message(job, c))));
}
