using StackExchange.Redis;

namespace Meg.Distributed.Storage;

/// <summary>
/// Wakes whoever waits for a key (a job's end, a prompt's encoding) when any process announces it, so no one polls.
/// The announcement goes over a Redis channel; a process subscribes at its first waiter (processes that only announce
/// never do). Without Redis (tests on the in-memory store) announcements stay in this process. Best effort, as Redis
/// pub/sub is: a waiter that misses one still has its own bound on the wait.
/// </summary>
public sealed class KeyedSignal
{
    private readonly Dictionary<string, Waiters> _waiters = [];
    private readonly Lock _lock = new();
    private readonly ISubscriber? _subscriber;
    private readonly RedisChannel _channel;
    private bool _subscribed;

    public KeyedSignal(IConnectionMultiplexer? redis, string channel)
    {
        _subscriber = redis?.GetSubscriber();
        _channel = RedisChannel.Literal(channel);
    }

    /// <summary>Starts listening for <paramref name="key"/>. Call before looking at what it guards, so an announcement
    /// between the look and the wait is not missed; dispose when done waiting.</summary>
    public Watch Listen(string key)
    {
        lock (_lock)
        {
            if (_subscriber is not null && !_subscribed)
            {
                // Once, and confirmed before the first waiter looks at what it waits on.
                _subscriber.Subscribe(_channel, (_, value) => Wake(value.ToString()));
                _subscribed = true;
            }

            if (!_waiters.TryGetValue(key, out var waiters))
            {
                waiters = new Waiters();
                _waiters[key] = waiters;
            }

            waiters.Count++;
            return new Watch(this, key, waiters.Announced.Task);
        }
    }

    /// <summary>Tells every process's waiters for <paramref name="key"/>. Redis runs one connection's commands in order,
    /// so a write issued before this on the same connection is visible to a waiter that hears it.</summary>
    public Task AnnounceAsync(string key)
    {
        // This process's waiters at once, without the round trip through Redis (the echo then finds none left).
        Wake(key);
        return _subscriber is null ? Task.CompletedTask : _subscriber.PublishAsync(_channel, key, CommandFlags.FireAndForget);
    }

    private void Wake(string key)
    {
        Waiters? waiters;
        lock (_lock)
        {
            if (_waiters.Remove(key, out waiters))
            {
                waiters.Count = 0;
            }
        }

        waiters?.Announced.TrySetResult();
    }

    private void Release(string key, Task announced)
    {
        lock (_lock)
        {
            // Only the registration this watch joined: after a wake, a later Listen makes a new one.
            if (_waiters.TryGetValue(key, out var waiters) && waiters.Announced.Task == announced && --waiters.Count == 0)
            {
                _waiters.Remove(key);
            }
        }
    }

    /// <summary>One waiter's interest in one key; <see cref="Finished"/> completes when the key is announced.</summary>
    public sealed class Watch(KeyedSignal signal, string key, Task announced) : IDisposable
    {
        private int _disposed;

        public Task Finished { get; } = announced;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0)
            {
                signal.Release(key, Finished);
            }
        }
    }

    private sealed class Waiters
    {
        public TaskCompletionSource Announced { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public int Count { get; set; }
    }
}
