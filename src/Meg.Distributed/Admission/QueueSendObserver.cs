using MassTransit;
using Meg.Contracts;

namespace Meg.Distributed.Admission;

/// <summary>Counts every command the broker took for a node's queue (<see cref="QueueWatch.Sent"/>), whoever sent it:
/// the jobs API or a worker releasing the next command.</summary>
public sealed class QueueSendObserver(QueueWatch queues) : ISendObserver
{
    public Task PreSend<T>(SendContext<T> context) where T : class => Task.CompletedTask;

    public Task PostSend<T>(SendContext<T> context) where T : class
    {
        if (context.Message is RunStage or CarryTransfer && context.DestinationAddress is { } address)
        {
            queues.Sent(QueueName(address));
        }

        return Task.CompletedTask;
    }

    public Task SendFault<T>(SendContext<T> context, Exception exception) where T : class => Task.CompletedTask;

    /// <summary>The queue of an endpoint address ("rabbitmq://host/vhost/es-2?..." or "queue:es-2" is es-2).</summary>
    public static string QueueName(Uri address) =>
        address.IsAbsoluteUri && address.Scheme != "queue" ? address.Segments[^1].TrimEnd('/') : address.OriginalString.Split(':', 2)[^1].Split('?')[0];
}
