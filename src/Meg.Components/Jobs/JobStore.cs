using System.Text.Json;
using Meg.Components.Storage;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;

namespace Meg.Components.Jobs;

/// <summary>Job specs and statuses in the blob store (Redis), plus the count of accepted jobs. Specs never change
/// once stored, so each process keeps the jobs it has read, planned (<see cref="PlannedJob"/>): every step of a job
/// needs its spec, plan and schedule. A status has one writer, the state machine, which keeps what it wrote last
/// (<see cref="GetOwnStatusAsync"/>) instead of reading it back from Redis at every step.</summary>
public sealed class JobStore(IBlobStore store, IOptions<StorageOptions> options)
{
    private readonly MemoryCache _jobs = new(new MemoryCacheOptions { SizeLimit = 4096 });
    private readonly MemoryCache _written = new(new MemoryCacheOptions { SizeLimit = 4096 });

    /// <summary>How long both caches keep a job after its last use.</summary>
    private static readonly MemoryCacheEntryOptions Kept = new() { Size = 1, SlidingExpiration = TimeSpan.FromMinutes(10) };

    public const string AcceptedCounterKey = "meg:jobs:accepted";

    public static string SpecKey(Guid id) => $"meg:job:{id:N}:spec";

    public static string StatusKey(Guid id) => $"meg:job:{id:N}:status";

    /// <summary>Stores the spec and keeps the planned job: the scheduler that accepted it reads it again at the first step.</summary>
    public Task SaveSpecAsync(PlannedJob job)
    {
        Remember(job);
        return Save(SpecKey(job.Spec.Id), job.Spec);
    }

    /// <summary>The job, planned; throws when its spec is not in the store (expired or never submitted).</summary>
    public async Task<PlannedJob> RequireJobAsync(Guid id)
    {
        if (_jobs.TryGetValue(id, out PlannedJob? cached))
        {
            return cached!;
        }

        var spec = await Load<JobSpec>(SpecKey(id)) ?? throw new InvalidOperationException($"Job {id:N} has no spec in the store (expired or never submitted).");
        var job = PlannedJob.Of(spec);
        Remember(job);
        return job;
    }

    private void Remember(PlannedJob job) => _jobs.Set(job.Spec.Id, job, Kept);

    /// <summary>Stores <paramref name="status"/>, which the caller must not change afterwards (it is kept as written).</summary>
    public Task SaveStatusAsync(JobStatus status)
    {
        _written.Set(status.Id, status, Kept);
        return Save(StatusKey(status.Id), status);
    }

    /// <summary>The status as stored (what any instance answers).</summary>
    public Task<JobStatus?> GetStatusAsync(Guid id) => Load<JobStatus>(StatusKey(id));

    /// <summary>The status as this process last wrote it; from the store when it wrote none (after a restart).</summary>
    public Task<JobStatus?> GetOwnStatusAsync(Guid id) =>
        _written.TryGetValue(id, out JobStatus? written) ? Task.FromResult(written) : GetStatusAsync(id);

    public Task<long> CountAcceptedAsync() => store.IncrementAsync(AcceptedCounterKey);

    public async Task<long> AcceptedAsync()
    {
        var bytes = await store.GetAsync(AcceptedCounterKey);
        return bytes is null ? 0 : long.Parse(System.Text.Encoding.ASCII.GetString(bytes), System.Globalization.CultureInfo.InvariantCulture);
    }

    private Task Save<T>(string key, T value) => store.SetAsync(key, JsonSerializer.SerializeToUtf8Bytes(value, MegJson.Options), options.Value.JobTtl);

    private async Task<T?> Load<T>(string key)
        where T : class
    {
        var bytes = await store.GetAsync(key);
        return bytes is null ? null : JsonSerializer.Deserialize<T>(bytes, MegJson.Options);
    }
}
