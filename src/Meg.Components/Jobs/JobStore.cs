using System.Text.Json;
using Meg.Components.Storage;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;

namespace Meg.Components.Jobs;

/// <summary>Job specs and statuses in the blob store (Redis), plus the count of accepted jobs. Specs never change
/// once stored, so each process keeps the ones it has read: every step of a job reads its spec.</summary>
public sealed class JobStore(IBlobStore store, IOptions<StorageOptions> options)
{
    private readonly MemoryCache _specs = new(new MemoryCacheOptions { SizeLimit = 4096 });

    public const string AcceptedCounterKey = "meg:jobs:accepted";

    public static string SpecKey(Guid id) => $"meg:job:{id:N}:spec";

    public static string StatusKey(Guid id) => $"meg:job:{id:N}:status";

    /// <summary>Stores the spec and keeps it: the scheduler that accepted the job reads it again at the first step.</summary>
    public Task SaveSpecAsync(JobSpec spec)
    {
        Remember(spec);
        return Save(SpecKey(spec.Id), spec);
    }

    public async Task<JobSpec?> GetSpecAsync(Guid id)
    {
        if (_specs.TryGetValue(id, out JobSpec? cached))
        {
            return cached;
        }

        var spec = await Load<JobSpec>(SpecKey(id));
        if (spec is not null)
        {
            Remember(spec);
        }

        return spec;
    }

    private void Remember(JobSpec spec) =>
        _specs.Set(spec.Id, spec, new MemoryCacheEntryOptions { Size = 1, SlidingExpiration = TimeSpan.FromMinutes(10) });

    public async Task<JobSpec> RequireSpecAsync(Guid id) =>
        await GetSpecAsync(id) ?? throw new InvalidOperationException($"Job {id:N} has no spec in the store (expired or never submitted).");

    public Task SaveStatusAsync(JobStatus status) => Save(StatusKey(status.Id), status);

    public Task<JobStatus?> GetStatusAsync(Guid id) => Load<JobStatus>(StatusKey(id));

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
