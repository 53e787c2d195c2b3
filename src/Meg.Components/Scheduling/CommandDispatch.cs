using MassTransit;
using Meg.Components.Jobs;
using Meg.Components.Storage;
using Meg.Contracts;
using Meg.Protocols.Plans;

namespace Meg.Components.Scheduling;

/// <summary>
/// Turns a plan's commands into messages and sends them to the queue of the service that runs them: a node's
/// stages to its queue ("ue", "es-1", ...), transfers to the channel emulator. The scheduler sends through it, and
/// so does a worker that passes a chain on (<see cref="NextCommand"/>).
/// </summary>
public static class CommandDispatch
{
    /// <summary>The message for <paramref name="command"/>, with <paramref name="then"/> to send on after it.</summary>
    public static NextCommand Message(Guid jobId, ProtocolPlan plan, PlanCommand command, IReadOnlyList<NextCommand>? then = null)
    {
        then = then is { Count: > 0 } ? then : null;
        // What the command reads from earlier steps: its reads, less what its own earlier steps write.
        var inputs = command.Reads.Where(r => !command.Writes.Contains(r)).Select(r => ClaimCheckStore.Reference(jobId, r.Node, r.Artifact)).ToArray();
        var index = command.FirstStep;
        return plan.Steps[index] switch
        {
            Stage stage => new NextCommand(Stage: new RunStage(jobId, index, stage.Node.ToString(), inputs, command.Count, then)),
            Transfer transfer => new NextCommand(Transfer: new CarryTransfer(jobId, index, plan.Steps.Take(index).OfType<Transfer>().Count(),
                transfer.From.ToString(), transfer.To.ToString(), inputs, command.Count, then)),
            var other => throw new InvalidOperationException($"Unknown step type {other.GetType().Name}."),
        };
    }

    /// <summary>Sends <paramref name="command"/> to the queue that runs it.</summary>
    public static async Task SendAsync(ISendEndpointProvider endpoints, NextCommand command)
    {
        switch (command)
        {
            case { Stage: { } stage }:
                var node = await endpoints.GetSendEndpoint(new Uri($"queue:{JobPlanning.QueueOf(NodeId.Parse(stage.Node))}"));
                await node.Send(stage);
                break;
            case { Transfer: { } transfer }:
                var channel = await endpoints.GetSendEndpoint(new Uri($"queue:{JobPlanning.ChannelQueue}"));
                await channel.Send(transfer);
                break;
            default:
                throw new InvalidOperationException("A next command names neither a stage nor a transfer.");
        }
    }

    /// <summary>The first command of a chain, carrying the rest of the chain as its own; null for no chain.</summary>
    public static NextCommand? Next(IReadOnlyList<NextCommand>? then)
    {
        if (then is not { Count: > 0 })
        {
            return null;
        }

        var rest = then.Count > 1 ? then.Skip(1).ToArray() : null;
        return then[0] switch
        {
            { Stage: { } stage } => new NextCommand(Stage: stage with { Then = rest }),
            { Transfer: { } transfer } => new NextCommand(Transfer: transfer with { Then = rest }),
            _ => throw new InvalidOperationException("A next command names neither a stage nor a transfer."),
        };
    }

    /// <summary>A worker's part: sends the first of <paramref name="then"/> with the rest as its own chain.</summary>
    public static Task SendOnAsync(ISendEndpointProvider endpoints, IReadOnlyList<NextCommand>? then) =>
        Next(then) is { } next ? SendAsync(endpoints, next) : Task.CompletedTask;
}
