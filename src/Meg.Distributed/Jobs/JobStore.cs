using System.Text.Json;
using System.Text;
using Meg.Distributed.Storage;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;

namespace Meg.Distributed.Jobs;

/// <summary>Job specs, statuses and progress in the blob store (Redis), plus the count of accepted jobs. Specs never
/// change once stored, so each process keeps the jobs it has read, planned (<see cref="PlannedJob"/>): every step of a
/// job needs its spec, plan and schedule. A status is written when the job is accepted (queued) and when it ends; in
/// between, the commands' records (<see cref="JobProgress"/>) are its steps.</summary>
public sealed class JobStore(IBlobStore store, IOptions<StorageOptions> options)
{
    private readonly MemoryCache _jobs = new(new MemoryCacheOptions { SizeLimit = 4096 });

    /// <summary>How long the cache keeps a job after its last use.</summary>
    private static readonly MemoryCacheEntryOptions Kept = new() { Size = 1, SlidingExpiration = TimeSpan.FromMinutes(10) };

    public const string AcceptedCounterKey = "meg:jobs:accepted";

    public static string SpecKey(Guid id) => $"meg:job:{id:N}:spec";

    public static string StatusKey(Guid id) => $"meg:job:{id:N}:status";

    /// <summary>The job's finished commands: a hash, one <see cref="Meg.Contracts.StepCompleted"/> per command by its first step.</summary>
    public static string ProgressKey(Guid id) => $"meg:job:{id:N}:progress";

    /// <summary>Stores the spec and keeps the planned job: the scheduler that accepted it reads it again at the first step.</summary>
    public Task SaveSpecAsync(PlannedJob job)
    {
        Remember(job);
        return store.SetAsync(SpecKey(job.Spec.Id), Encoding.UTF8.GetBytes(job.SpecJson), options.Value.JobTtl);
    }

    /// <summary>The job, planned: kept, else from <paramref name="carried"/> (the spec a command carries), else from the
    /// store. Throws when the store has no spec either (expired or never submitted).</summary>
    public async Task<PlannedJob> RequireJobAsync(Guid id, string? carried = null)
    {
        if (_jobs.TryGetValue(id, out PlannedJob? cached))
        {
            return cached!;
        }

        var json = carried ?? (await store.GetAsync(SpecKey(id)) is { } bytes ? Encoding.UTF8.GetString(bytes) : null)
            ?? throw new InvalidOperationException($"Job {id:N} has no spec in the store (expired or never submitted).");
        var spec = JsonSerializer.Deserialize<JobSpec>(json, MegJson.Options);
        if (spec?.Id != id)
        {
            throw new InvalidOperationException($"The spec of job {id:N} names job {spec?.Id:N}.");
        }

        var job = PlannedJob.Of(spec, json);
        Remember(job);
        return job;
    }

    private void Remember(PlannedJob job) => _jobs.Set(job.Spec.Id, job, Kept);

    public Task SaveStatusAsync(JobStatus status) => Save(StatusKey(status.Id), status);

    /// <summary>The status as last written (queued, completed or failed), without the progress in between: enough to tell
    /// whether a job has ended.</summary>
    public Task<JobStatus?> GetStoredStatusAsync(Guid id) => Load<JobStatus>(StatusKey(id));

    /// <summary>The status as stored; while the job is unfinished, with the steps its commands have recorded so far
    /// (then running: queued until its first command finishes). Null for an unknown job.</summary>
    public async Task<JobStatus?> GetStatusAsync(Guid id)
    {
        // Both reads go out together: one round trip.
        var stored = GetStoredStatusAsync(id);
        var progress = store.HashGetAllAsync(ProgressKey(id));
        await Task.WhenAll(stored, progress);
        if (await stored is not { } status || status.State is JobStates.Completed or JobStates.Failed)
        {
            return await stored;
        }

        var reports = StepRecords.Read(await progress);
        return reports.Count == 0
            ? status
            : StepRecords.WithSteps(status with { State = JobStates.Running }, (await RequireJobAsync(id)).Plan, reports);
    }

    public Task<long> CountAcceptedAsync() => store.IncrementAsync(AcceptedCounterKey);

    public Task<long> AcceptedAsync() => store.GetCounterAsync(AcceptedCounterKey);

    private Task Save<T>(string key, T value) => store.SetAsync(key, JsonSerializer.SerializeToUtf8Bytes(value, MegJson.Options), options.Value.JobTtl);

    private async Task<T?> Load<T>(string key)
        where T : class
    {
        var bytes = await store.GetAsync(key);
        return bytes is null ? null : JsonSerializer.Deserialize<T>(bytes, MegJson.Options);
    }
}
