using Meg.Distributed.Storage;
using StackExchange.Redis;

namespace Meg.Distributed.Jobs;

/// <summary>
/// Wakes the event streams of a job (<c>GET /api/jobs/{id}/events</c>) when one of its commands has recorded its steps,
/// so a watcher hears each step as it finishes instead of polling. The worker that recorded it announces it on a Redis
/// channel that every scheduler instance listens to (<see cref="KeyedSignal"/>). Best effort: a stream that misses one
/// reads the job again within its own bound.
/// </summary>
public sealed class JobStepSignal(IConnectionMultiplexer? redis)
{
    public const string Channel = "meg:jobs:steps";

    private readonly KeyedSignal _signal = new(redis, Channel);

    /// <summary>Starts listening for <paramref name="job"/>'s next recorded command. Call before reading its status.</summary>
    public KeyedSignal.Watch Listen(Guid job) => _signal.Listen(Key(job));

    /// <summary>Tells every instance that <paramref name="job"/> recorded a command; call after the record is stored.</summary>
    public Task AnnounceAsync(Guid job) => _signal.AnnounceAsync(Key(job));

    private static string Key(Guid job) => job.ToString("N");
}
