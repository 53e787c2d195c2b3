using Meg.Distributed.Storage;
using StackExchange.Redis;

namespace Meg.Distributed.Jobs;

/// <summary>
/// Wakes requests waiting for a job to finish (<c>GET /api/jobs/{id}?waitMs=</c>), so clients learn the end at
/// once instead of polling. Whoever ends a job (the worker whose command finished it last, or the state machine when it
/// fails) announces it on a Redis channel that every scheduler instance listens to, so a waiter on any instance hears
/// of it (<see cref="KeyedSignal"/>).
/// </summary>
public sealed class JobFinishedSignal(IConnectionMultiplexer? redis)
{
    public const string Channel = "meg:jobs:finished";

    private readonly KeyedSignal _signal = new(redis, Channel);

    /// <summary>Starts listening for <paramref name="job"/>. Call before reading its status, so an end between the read
    /// and the wait is not missed; dispose when done waiting.</summary>
    public KeyedSignal.Watch Listen(Guid job) => _signal.Listen(Key(job));

    /// <summary>Tells every instance that <paramref name="job"/> finished; call after its final status is stored.
    /// Best effort: the job is already finished, and a waiter that misses the news answers when its wait is over.</summary>
    public Task AnnounceAsync(Guid job) => _signal.AnnounceAsync(Key(job));

    private static string Key(Guid job) => job.ToString("N");
}
