using System.Globalization;
using MassTransit;
using Meg.Distributed.Jobs;
using Meg.Distributed.Storage;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Meg.Distributed.Admission;

/// <summary>
/// What every queue does, counted in Redis (hash meg:queue:{name}): commands sent to it, started and finished, and the
/// total of their queue waits and service times. Depth is sent less started, in progress started less finished; the
/// load generator and the snapshot read means off the totals. Also the workers' queue-timeout check.
/// </summary>
public sealed class QueueWatch(IBlobStore store, IOptions<QueueOptions> options, ILogger<QueueWatch> logger)
{
    public static string Key(string queue) => $"meg:queue:{queue}";

    /// <summary>Fails the job (throws <see cref="QueueTimeoutException"/>) when its command waited longer than allowed.</summary>
    public void ThrowIfWaitedTooLong(JobSpec spec, double queueMs, string worker)
    {
        var limit = spec.MaxWaitMs ?? options.Value.TimeoutMs;
        if (queueMs > limit)
        {
            throw new QueueTimeoutException(string.Create(CultureInfo.InvariantCulture,
                $"waited {queueMs / 1000:0.0} s for {worker}; limit {limit / 1000:0.###} s"));
        }
    }

    public void Sent(string queue) => Count(queue, ("sent", 1));

    /// <summary>Counts <paramref name="context"/>'s command as started from <paramref name="queue"/>, once: not again on a
    /// retry or a redelivery.</summary>
    public void Started(ConsumeContext context, string queue)
    {
        if (!context.ReceiveContext.Redelivered && context.GetRetryAttempt() == 0)
        {
            Started(queue);
        }
    }

    public void Started(string queue) => Count(queue, ("started", 1));

    public void Finished(string queue, double queueMs, double serviceMs) =>
        Count(queue, ("finished", 1), ("wait_ms", queueMs), ("service_ms", serviceMs));

    // Off the job's path: counters are for watching, a lost increment must not slow or fail a job.
    private void Count(string queue, params (string Field, double Delta)[] deltas) =>
        _ = store.HashIncrementAsync(Key(queue), deltas).ContinueWith(
            t => logger.LogWarning(t.Exception, "Counting the commands of queue {Queue} failed", queue),
            CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);

    /// <summary>The counters of <paramref name="queue"/> now.</summary>
    public async Task<QueueCounters> ReadAsync(string queue)
    {
        var entries = await store.HashGetAllAsync(Key(queue));
        double Get(string field) => entries.TryGetValue(field, out var v) ? double.Parse(System.Text.Encoding.UTF8.GetString(v), CultureInfo.InvariantCulture) : 0;
        return new QueueCounters(queue, (long)Get("sent"), (long)Get("started"), (long)Get("finished"), Get("wait_ms"), Get("service_ms"));
    }
}

/// <summary>One queue's counters since the system started; see <see cref="QueueWatch"/>.</summary>
public sealed record QueueCounters(string Queue, long Sent, long Started, long Finished, double WaitMsTotal, double ServiceMsTotal)
{
    public long Depth => Math.Max(0, Sent - Started);

    public long InProgress => Math.Max(0, Started - Finished);

    public double? MeanWaitMs => Finished > 0 ? WaitMsTotal / Finished : null;

    public double? MeanServiceMs => Finished > 0 ? ServiceMsTotal / Finished : null;
}
