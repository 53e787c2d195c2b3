using Meg.Distributed.Admission;
using Meg.Distributed.Jobs;
using Meg.Distributed.Storage;
using Meg.Protocols;
using Meg.Protocols.BuiltIn;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace Meg.Distributed.Tests;

/// <summary>The scheduler's gate: a bounded number of jobs in the system, placed by load, let go when they end.</summary>
public sealed class JobAdmissionTests
{
    private readonly InMemoryBlobStore _store = new();
    private readonly FakeTimeProvider _clock = new(DateTimeOffset.Parse("2026-12-06T12:00:00Z", System.Globalization.CultureInfo.InvariantCulture));
    private readonly CompletionRate _completions;
    private readonly JobAdmission _admission;

    public JobAdmissionTests()
    {
        _completions = new CompletionRate(_clock);
        _admission = new JobAdmission(_store, Options.Create(new AdmissionOptions { MaxJobs = 3 }),
            Options.Create(new SchedulerOptions { EdgeServers = 2 }), _completions);
    }

    private static Meg.Protocols.Plans.ProtocolPlan Plan(string protocol) =>
        ProtocolCatalog.Build(protocol, PlanParameters.ForModel(ModelDimensions.MegTiny, 20, 1, 2));

    [Fact]
    public async Task Jobs_beyond_the_limit_are_refused_with_a_reason_and_nothing_of_them_is_kept()
    {
        for (var i = 0; i < 3; i++)
        {
            Assert.True((await _admission.AdmitAsync(Guid.NewGuid(), Plan("Centralized"), ModelDimensions.MegTiny)).Admitted);
        }

        var loadBefore = await _admission.LoadAsync();
        var refused = await _admission.AdmitAsync(Guid.NewGuid(), Plan("Centralized"), ModelDimensions.MegTiny);

        Assert.False(refused.Admitted);
        Assert.Contains("3 jobs are in it and it takes at most 3", refused.Reason);
        Assert.True(refused.RetryAfter >= TimeSpan.FromSeconds(1));
        Assert.Equal(3, await _admission.JobsInSystemAsync());
        Assert.Equal(loadBefore, await _admission.LoadAsync());
    }

    [Fact]
    public async Task Single_edge_jobs_spread_over_both_instances_and_their_load_goes_when_they_end()
    {
        var first = Guid.NewGuid();
        var a = await _admission.AdmitAsync(first, Plan("CIAG"), ModelDimensions.MegTiny);
        var b = await _admission.AdmitAsync(Guid.NewGuid(), Plan("CIAG"), ModelDimensions.MegTiny);

        Assert.Equal([1], a.EdgeInstances);
        Assert.Equal([2], b.EdgeInstances);
        var load = await _admission.LoadAsync();
        Assert.Equal(load[1], load[2]);
        Assert.True(load[1] > 0);

        await _admission.ReleaseAsync(first);
        await _admission.ReleaseAsync(first); // a second ending (a redelivery) changes nothing

        Assert.Equal(0, (await _admission.LoadAsync())[1]);
        Assert.Equal(1, await _admission.JobsInSystemAsync());
        Assert.Equal([1], (await _admission.AdmitAsync(Guid.NewGuid(), Plan("Centralized"), ModelDimensions.MegTiny)).EdgeInstances);
    }

    [Fact]
    public async Task Under_light_load_idle_instances_take_turns()
    {
        var used = new List<int>();
        for (var i = 0; i < 4; i++)
        {
            var job = Guid.NewGuid();
            used.Add((await _admission.AdmitAsync(job, Plan("Centralized"), ModelDimensions.MegTiny)).EdgeInstances![0]);
            await _admission.ReleaseAsync(job); // each job ends before the next arrives: every instance is idle again
        }

        Assert.Equal([1, 2, 1, 2], used);
    }

    [Fact]
    public async Task A_two_edge_job_gets_both_instances()
    {
        var decision = await _admission.AdmitAsync(Guid.NewGuid(), Plan("UIDCG"), ModelDimensions.MegTiny);

        Assert.Equal([1, 2], decision.EdgeInstances!.Order());
    }

    [Fact]
    public async Task Retry_after_follows_how_fast_jobs_have_been_ending()
    {
        var jobs = Enumerable.Range(0, 3).Select(_ => Guid.NewGuid()).ToArray();
        foreach (var job in jobs)
        {
            await _admission.AdmitAsync(job, Plan("Centralized"), ModelDimensions.MegTiny);
        }

        // Two jobs ended over 20 s: 0.1 jobs/s. The next refusal is 1 job over the limit: 10 s.
        await _admission.ReleaseAsync(jobs[0]);
        _clock.Advance(TimeSpan.FromSeconds(20));
        await _admission.ReleaseAsync(jobs[1]);
        await _admission.AdmitAsync(Guid.NewGuid(), Plan("Centralized"), ModelDimensions.MegTiny);
        await _admission.AdmitAsync(Guid.NewGuid(), Plan("Centralized"), ModelDimensions.MegTiny);

        var refused = await _admission.AdmitAsync(Guid.NewGuid(), Plan("Centralized"), ModelDimensions.MegTiny);

        Assert.Equal(TimeSpan.FromSeconds(10), refused.RetryAfter);
    }
}
