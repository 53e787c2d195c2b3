using System.Diagnostics.Metrics;
using Meg.Distributed.Telemetry;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Meg.Distributed.Admission;

/// <summary>
/// The queue snapshot as OpenTelemetry gauges (meter "Meg.Services"), refreshed every second by the scheduler, so the
/// Aspire dashboard shows each node's queue depth and work in progress, and the jobs in the system, as they change.
/// </summary>
public sealed class QueueGauges : BackgroundService
{
    private static readonly TimeSpan Period = TimeSpan.FromSeconds(1);
    private readonly SystemQueues _queues;
    private readonly ILogger<QueueGauges> _logger;
    private SystemQueueSnapshot? _last;

    public QueueGauges(SystemQueues queues, IMeterFactory meters, ILogger<QueueGauges> logger)
    {
        (_queues, _logger) = (queues, logger);
        var meter = meters.Create(MegMetrics.MeterName);
        meter.CreateObservableGauge("meg.queue.depth", () => PerNode(n => n.Depth), "{command}", "Commands waiting in a node's queue.");
        meter.CreateObservableGauge("meg.queue.in_progress", () => PerNode(n => n.InProgress), "{command}", "Commands a node is running.");
        meter.CreateObservableGauge<long>("meg.admission.jobs_in_system", () => _last is { } s ? [new Measurement<long>(s.JobsInSystem)] : [],
            "{job}", "Jobs accepted and not yet ended.");
    }

    private IEnumerable<Measurement<long>> PerNode(Func<NodeQueue, long> value) =>
        _last?.Nodes.Select(n => new Measurement<long>(value(n), new KeyValuePair<string, object?>("node", n.Queue))) ?? [];

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Period);
        do
        {
            try
            {
                _last = await _queues.SnapshotAsync();
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                _logger.LogDebug(e, "Reading the queue snapshot failed; the gauges keep the last one");
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }
}
