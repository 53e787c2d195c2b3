using MassTransit;
using Meg.Distributed.Hosting;

namespace Meg.Bench;

/// <summary>
/// What one hop through the broker costs on this machine with nothing of MEG's in it: a MassTransit send to a consumer
/// on the system's RabbitMQ, with the services' settings (durable queue, publisher confirms, retry, one message at a
/// time), between two endpoints of the benchmark's process while the system idles. The queue column of a command
/// cannot go below it.
/// </summary>
internal static class BrokerFloor
{
    /// <summary>About the size of a stage command (the job's spec rides along).</summary>
    private static readonly string Payload = new('x', 1500);

    /// <summary>Send to consume, in milliseconds, for <paramref name="count"/> sends one at a time (the first fifth left out
    /// as warm-up).</summary>
    public static async Task<IReadOnlyList<double>> MeasureAsync(Uri broker, int count, CancellationToken cancellationToken)
    {
        var queue = $"meg-bench-floor-{Guid.NewGuid():N}";
        var received = System.Threading.Channels.Channel.CreateUnbounded<double>();
        var bus = Bus.Factory.CreateUsingRabbitMq(cfg => cfg.UseMegBroker(broker));
        await bus.StartAsync(cancellationToken);
        try
        {
            var endpoint = bus.ConnectReceiveEndpoint(queue, e =>
            {
                if (e is IRabbitMqReceiveEndpointConfigurator rabbit)
                {
                    rabbit.AutoDelete = true; // removed with the benchmark's connection
                }

                e.AsStageQueue(slots: 1);
                e.Handler<BrokerFloorPing>(context =>
                {
                    received.Writer.TryWrite(context.SentTime is { } sent ? (DateTime.UtcNow - sent).TotalMilliseconds : double.NaN);
                    return Task.CompletedTask;
                });
            });
            // Its address carries the queue's settings (auto-delete), which a send must declare alike.
            var ready = await endpoint.Ready.WaitAsync(cancellationToken);
            var send = await bus.GetSendEndpoint(ready.InputAddress);
            var transits = new List<double>();
            for (var i = 0; i < count; i++)
            {
                await send.Send(new BrokerFloorPing(i, Payload), cancellationToken);
                transits.Add(await received.Reader.ReadAsync(cancellationToken));
                await Task.Delay(20, cancellationToken); // each hop of a job finds the other processes idle
            }

            return transits.Skip(count / 5).ToList();
        }
        finally
        {
            await bus.StopAsync(CancellationToken.None);
        }
    }
}

/// <summary>The benchmark's message through the broker.</summary>
public sealed record BrokerFloorPing(int Sequence, string Payload);
