using System.Globalization;
using Meg.Distributed.Storage;
using Microsoft.Extensions.Options;

namespace Meg.Distributed.Jobs;

/// <summary>How long a job may take from its submission to its end (configuration section "Meg:Jobs").</summary>
public sealed class JobOptions
{
    /// <summary>Five minutes: a 1000-step job on this 2-core machine takes about a minute, and the queue timeout (60 s by
    /// default) bounds each wait before it.</summary>
    public double DeadlineMs { get; set; } = 300_000;

    /// <summary>How often the scheduler looks for jobs past their deadline.</summary>
    public double SweepIntervalMs { get; set; } = 1_000;
}

/// <summary>
/// Every job's deadline, in one Redis sorted set scored by the time it is due (Unix ms): added when the job is accepted,
/// removed when it ends. The scheduler's <see cref="Scheduler.DeadlineSweeper"/> fails the jobs whose time has come.
/// </summary>
public sealed class JobDeadlines(IBlobStore store, IOptions<JobOptions> options, TimeProvider clock)
{
    public const string Key = "meg:jobs:deadlines";

    /// <summary>How long <paramref name="spec"/>'s job may take: its own deadline, else the deployment's.</summary>
    public TimeSpan DeadlineOf(JobSpec spec) => TimeSpan.FromMilliseconds(spec.DeadlineMs ?? options.Value.DeadlineMs);

    public Task AddAsync(JobSpec spec) =>
        store.SortedSetAddAsync(Key, Member(spec.Id), (spec.SubmittedAt + DeadlineOf(spec)).ToUnixTimeMilliseconds());

    public Task ForgetAsync(Guid job) => store.SortedSetRemoveAsync(Key, Member(job));

    /// <summary>Up to <paramref name="take"/> jobs past their deadline now, the most overdue first.</summary>
    public async Task<IReadOnlyList<Guid>> DueAsync(int take = 100) =>
        (await store.SortedSetRangeByScoreAsync(Key, clock.GetUtcNow().ToUnixTimeMilliseconds(), take))
            .Select(m => Guid.ParseExact(m, "N")).ToArray();

    private static string Member(Guid job) => job.ToString("N", CultureInfo.InvariantCulture);
}
