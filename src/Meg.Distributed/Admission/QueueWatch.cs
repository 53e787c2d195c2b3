using System.Globalization;
using MassTransit;
using Meg.Distributed.Jobs;
using Meg.Distributed.Storage;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Meg.Distributed.Admission;

/// <summary>
/// What every queue does, counted in Redis (hash meg:queue:{name}): commands sent to it, started and finished (each
/// once, however often it was delivered), and the total of their queue waits and service times; and the set of the
/// commands its workers hold now. Depth is sent less started, in progress the size of that set; the
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

    /// <summary>The commands a queue's workers hold now, by message id: a set, so a redelivered command (its worker
    /// died, or the broker did before the acknowledgement) is held once, and a worker killed mid-command leaves it there
    /// only until its redelivery finishes.</summary>
    public static string RunningKey(string queue) => $"meg:queue:{queue}:running";

    private static string DoneKey(string queue, Guid message) => $"meg:queue:{queue}:done:{message:N}";

    /// <summary>A worker took <paramref name="context"/>'s command from <paramref name="queue"/>: counted as started once
    /// (not again on a retry or a redelivery), held as running until it finishes or fails.</summary>
    public void Started(ConsumeContext context, string queue) =>
        Started(queue, MessageOf(context), firstDelivery: !context.ReceiveContext.Redelivered && context.GetRetryAttempt() == 0);

    public void Started(string queue, Guid message, bool firstDelivery = true)
    {
        if (firstDelivery)
        {
            Count(queue, ("started", 1));
        }

        Watch(store.SetAddAsync(RunningKey(queue), message.ToString("N")), queue);
    }

    /// <summary>The command finished: counted once, with its wait and service time, however often it was delivered.</summary>
    public void Finished(ConsumeContext context, string queue, double queueMs, double serviceMs) => Finished(queue, MessageOf(context), queueMs, serviceMs);

    public void Finished(string queue, Guid message, double queueMs, double serviceMs)
    {
        Watch(FinishAsync(), queue);

        async Task FinishAsync()
        {
            await store.SetRemoveAsync(RunningKey(queue), message.ToString("N"));
            if (await store.SetIfAbsentOrGetAsync(DoneKey(queue, message), [1], TimeSpan.FromHours(1)) is null)
            {
                await store.HashIncrementAsync(Key(queue), [("finished", 1), ("wait_ms", queueMs), ("service_ms", serviceMs)]);
            }
        }
    }

    /// <summary>The attempt threw: no longer running (a retry or a redelivery holds it again).</summary>
    public void Abandoned(ConsumeContext context, string queue) => Watch(store.SetRemoveAsync(RunningKey(queue), MessageOf(context).ToString("N")), queue);

    private static Guid MessageOf(ConsumeContext context) =>
        context.MessageId ?? throw new InvalidOperationException("A command arrived without a message id.");

    private void Count(string queue, params (string Field, double Delta)[] deltas) => Watch(store.HashIncrementAsync(Key(queue), deltas), queue);

    // Off the job's path: counters are for watching, a lost increment must not slow or fail a job.
    private void Watch(Task counting, string queue) =>
        _ = counting.ContinueWith(
            t => logger.LogWarning(t.Exception, "Counting the commands of queue {Queue} failed", queue),
            CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);

    /// <summary>The counters of <paramref name="queue"/> now.</summary>
    public async Task<QueueCounters> ReadAsync(string queue)
    {
        var (reading, counting) = (store.HashGetAllAsync(Key(queue)), store.SetCountAsync(RunningKey(queue)));
        var entries = await reading;
        double Get(string field) => entries.TryGetValue(field, out var v) ? double.Parse(System.Text.Encoding.UTF8.GetString(v), CultureInfo.InvariantCulture) : 0;
        return new QueueCounters(queue, (long)Get("sent"), (long)Get("started"), (long)Get("finished"), await counting, Get("wait_ms"), Get("service_ms"));
    }
}

/// <summary>One queue's counters since the system started, and the commands its workers hold now
/// (<paramref name="InProgress"/>); see <see cref="QueueWatch"/>.</summary>
public sealed record QueueCounters(string Queue, long Sent, long Started, long Finished, long InProgress, double WaitMsTotal, double ServiceMsTotal)
{
    public long Depth => Math.Max(0, Sent - Started);

    public double? MeanWaitMs => Finished > 0 ? WaitMsTotal / Finished : null;

    public double? MeanServiceMs => Finished > 0 ? ServiceMsTotal / Finished : null;
}
