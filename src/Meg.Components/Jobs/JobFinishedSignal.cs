using StackExchange.Redis;

namespace Meg.Components.Jobs;

/// <summary>
/// Wakes requests waiting for a job to finish (<c>GET /api/jobs/{id}?waitMs=</c>), so clients learn the end at
/// once instead of polling. Whoever ends a job (the worker whose command finished it last, or the state machine when it
/// fails) announces it on a Redis channel that every scheduler instance listens to, so a waiter on any instance hears
/// of it. A process listens from its first waiter on (workers only announce). Without Redis (tests on the in-memory
/// store) the announcement stays in this process.
/// </summary>
public sealed class JobFinishedSignal
{
    public static readonly RedisChannel Channel = RedisChannel.Literal("meg:jobs:finished");

    private readonly Dictionary<Guid, Waiters> _waiters = [];
    private readonly Lock _lock = new();
    private readonly ISubscriber? _subscriber;
    private bool _subscribed;

    public JobFinishedSignal(IConnectionMultiplexer? redis) => _subscriber = redis?.GetSubscriber();

    /// <summary>Starts listening for <paramref name="job"/>. Call before reading its status, so an end between the read
    /// and the wait is not missed; dispose when done waiting.</summary>
    public Watch Listen(Guid job)
    {
        lock (_lock)
        {
            if (_subscriber is not null && !_subscribed)
            {
                // Once, and confirmed before the first waiter reads the status it waits on.
                _subscriber.Subscribe(Channel, (_, value) =>
                {
                    if (Guid.TryParse(value.ToString(), out var ended))
                    {
                        Wake(ended);
                    }
                });
                _subscribed = true;
            }

            if (!_waiters.TryGetValue(job, out var waiters))
            {
                waiters = new Waiters();
                _waiters[job] = waiters;
            }

            waiters.Count++;
            return new Watch(this, job, waiters.Finished.Task);
        }
    }

    /// <summary>Tells every instance that <paramref name="job"/> finished; call after its final status is stored.
    /// Best effort: the job is already finished, and a waiter that misses the news answers when its wait is over.</summary>
    public Task AnnounceAsync(Guid job)
    {
        // This instance's waiters at once, without the round trip through Redis (the echo then finds none left).
        Wake(job);
        return _subscriber is null ? Task.CompletedTask : _subscriber.PublishAsync(Channel, job.ToString("N"), CommandFlags.FireAndForget);
    }

    private void Wake(Guid job)
    {
        Waiters? waiters;
        lock (_lock)
        {
            if (_waiters.Remove(job, out waiters))
            {
                waiters.Count = 0;
            }
        }

        waiters?.Finished.TrySetResult();
    }

    private void Release(Guid job, Task finished)
    {
        lock (_lock)
        {
            // Only the registration this watch joined: after a wake, a later Listen makes a new one.
            if (_waiters.TryGetValue(job, out var waiters) && waiters.Finished.Task == finished && --waiters.Count == 0)
            {
                _waiters.Remove(job);
            }
        }
    }

    /// <summary>One request's interest in one job; <see cref="Finished"/> completes when the job is announced.</summary>
    public sealed class Watch(JobFinishedSignal signal, Guid job, Task finished) : IDisposable
    {
        private int _disposed;

        public Task Finished { get; } = finished;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0)
            {
                signal.Release(job, Finished);
            }
        }
    }

    private sealed class Waiters
    {
        public TaskCompletionSource Finished { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public int Count { get; set; }
    }
}
