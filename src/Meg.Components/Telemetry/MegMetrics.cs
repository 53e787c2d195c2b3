using System.Diagnostics.Metrics;

namespace Meg.Components.Telemetry;

/// <summary>OpenTelemetry instruments of the MEG services (meter "Meg.Services").</summary>
public sealed class MegMetrics
{
    public const string MeterName = "Meg.Services";

    private readonly Histogram<double> _queue;
    private readonly Histogram<double> _service;
    private readonly Counter<long> _channelUses;

    public MegMetrics(IMeterFactory meters)
    {
        var meter = meters.Create(MeterName);
        _queue = meter.CreateHistogram<double>("meg.stage.queue_time", "ms", "Time a stage waited between being sent and starting (slot wait included).");
        _service = meter.CreateHistogram<double>("meg.stage.service_time", "ms", "Time a stage or transfer took to run.");
        _channelUses = meter.CreateCounter<long>("meg.transfer.channel_uses", "{channel_use}", "Complex channel uses per link.");
    }

    public void Stage(string worker, string stage, double queueMs, double serviceMs)
    {
        var tags = new KeyValuePair<string, object?>[] { new("worker", worker), new("stage", stage) };
        _queue.Record(queueMs, tags);
        _service.Record(serviceMs, tags);
    }

    public void Transfer(string link, long channelUses) => _channelUses.Add(channelUses, new KeyValuePair<string, object?>("link", link));
}
