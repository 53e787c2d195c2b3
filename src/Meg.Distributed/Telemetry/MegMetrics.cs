using System.Diagnostics.Metrics;
using Meg.Contracts;

namespace Meg.Distributed.Telemetry;

/// <summary>OpenTelemetry instruments of the MEG services (meter "Meg.Services").</summary>
public sealed class MegMetrics
{
    public const string MeterName = "Meg.Services";

    private readonly Histogram<double> _queue;
    private readonly Histogram<double> _service;
    private readonly Counter<long> _channelUses;
    private readonly Counter<long> _deadLettered;

    public MegMetrics(IMeterFactory meters)
    {
        var meter = meters.Create(MeterName);
        _queue = meter.CreateHistogram<double>("meg.stage.queue_time", "ms", "Time a stage waited between being sent and starting (slot wait included).");
        _service = meter.CreateHistogram<double>("meg.stage.service_time", "ms", "Time a stage or transfer took to run.");
        _channelUses = meter.CreateCounter<long>("meg.transfer.channel_uses", "{channel_use}", "Complex channel uses per link.");
        _deadLettered = meter.CreateCounter<long>("meg.commands.dead_lettered", "{command}",
            "Commands that failed after every retry and went to their queue's _error queue (each fails its job).");
    }

    /// <summary>A command's steps: each one's service time, and the command's queue time against its first step.
    /// <paramref name="stage"/> names step k ("Denoise", "Transfer").</summary>
    public void Command(string worker, IReadOnlyList<StepRun> runs, Func<int, string> stage, double queueMs)
    {
        for (var k = 0; k < runs.Count; k++)
        {
            var tags = new KeyValuePair<string, object?>[] { new("worker", worker), new("stage", stage(k)) };
            _queue.Record(k == 0 ? queueMs : 0, tags);
            _service.Record(runs[k].ServiceMs, tags);
        }
    }

    public void Transfer(string link, long channelUses) => _channelUses.Add(channelUses, new KeyValuePair<string, object?>("link", link));

    /// <summary>A command that went to its queue's _error queue; <paramref name="command"/> is its message type.</summary>
    public void DeadLettered(string command) => _deadLettered.Add(1, new KeyValuePair<string, object?>("command", command));
}
