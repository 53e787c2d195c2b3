using System.Text;
using Meg.Distributed.Storage;
using Microsoft.Extensions.Options;

namespace Meg.Distributed.Jobs;

/// <summary>
/// A job ends once: completed by the worker whose record finishes it, or failed (a step, a queue timeout, a faulted
/// command, its deadline), whichever comes first. Each path claims the job's end in Redis before it writes the final
/// status; a path that finds the other ending there drops its result, so a late completion never overwrites a failure
/// and a late failure never overwrites a completion.
/// </summary>
public sealed class JobEnding(IBlobStore store, IOptions<StorageOptions> options)
{
    public const string Completed = "completed";
    public const string Failed = "failed";

    public static string Key(Guid id) => $"meg:job:{id:N}:ended";

    /// <summary>Whether the job ends as <paramref name="outcome"/>: this caller is the first to end it, or it ended the
    /// same way before (a redelivered command finishing it again, which rewrites the same status).</summary>
    public async Task<bool> ClaimAsync(Guid id, string outcome)
    {
        var earlier = await store.SetIfAbsentOrGetAsync(Key(id), Encoding.UTF8.GetBytes(outcome), options.Value.JobTtl);
        return earlier is null || Encoding.UTF8.GetString(earlier) == outcome;
    }

    /// <summary>Whether the job has failed already: its commands still queued need not run.</summary>
    public async Task<bool> HasFailedAsync(Guid id) =>
        await store.GetAsync(Key(id)) is { } outcome && Encoding.UTF8.GetString(outcome) == Failed;
}
