using System.Globalization;
using System.Text;
using Meg.Distributed.Jobs;
using Meg.Distributed.Storage;
using Meg.Protocols;
using Meg.Protocols.Costs;
using Meg.Protocols.Plans;
using Microsoft.Extensions.Options;

namespace Meg.Distributed.Admission;

/// <summary>
/// The scheduler's gate and placement. A job is let in while fewer than <see cref="AdmissionOptions.MaxJobs"/> jobs are
/// in the system, and its ES roles are placed on the least-loaded instances (<see cref="EdgePlacement"/>). Both live in
/// Redis, so a restarted scheduler still knows them: one hash of the jobs in the system (each with its placement), one
/// of the work placed on each instance. A job leaves when it ends, however it ends (<see cref="ReleaseAsync"/>).
/// </summary>
public sealed class JobAdmission(IBlobStore store, IOptions<AdmissionOptions> options, IOptions<SchedulerOptions> deployment, CompletionRate completions)
{
    public const string JobsKey = "meg:admission:jobs";
    public const string LoadKey = "meg:admission:load";

    private int _placed; // jobs placed by this scheduler: turns the tie-break round

    public int MaxJobs => options.Value.MaxJobs;

    public int EdgeServers => deployment.Value.EdgeServers;

    /// <summary>Lets the job in and places it, or refuses it with a Retry-After estimated from how fast jobs have been
    /// ending. Nothing is kept for a refused job.</summary>
    public async Task<AdmissionDecision> AdmitAsync(Guid job, ProtocolPlan plan, ModelDimensions model)
    {
        var roles = plan.Nodes.Where(n => !n.IsUserEquipment).OrderBy(n => n.EdgeIndex).ToArray();
        var cost = PlanCostCalculator.Compute(plan, model);
        var work = roles.Select(r => Units(cost.WorkOf(r))).ToArray();
        var firstOnTie = (int)((uint)(Interlocked.Increment(ref _placed) - 1) % (uint)EdgeServers) + 1;
        var instances = EdgePlacement.Choose(work, await LoadAsync(), EdgeServers, firstOnTie);
        var placement = string.Join(",", instances.Select((instance, role) => string.Create(CultureInfo.InvariantCulture, $"{instance}:{work[role]}")));

        var inSystem = await store.HashAddAndCountAsync(JobsKey, job.ToString("N"), Encoding.UTF8.GetBytes(placement));
        if (inSystem is null)
        {
            throw new InvalidOperationException($"Job {job} was admitted already.");
        }

        if (inSystem > MaxJobs)
        {
            await store.HashDeleteAsync(JobsKey, job.ToString("N"));
            var excess = inSystem.Value - MaxJobs;
            var retryAfter = TimeSpan.FromSeconds(Math.Clamp(Math.Ceiling(excess / (completions.PerSecond() ?? 1.0)), 1, 600));
            return AdmissionDecision.Refuse(retryAfter,
                $"The system is full: {inSystem - 1} jobs are in it and it takes at most {MaxJobs} (Meg:Admission:MaxJobs). Try again in {retryAfter.TotalSeconds:0} s.");
        }

        await store.HashIncrementAsync(LoadKey, instances.Select((instance, role) => (Field(instance), work[role])).ToList());
        return AdmissionDecision.Admit(instances);
    }

    /// <summary>Lets go of an ended job: its place and its instances' load. Safe to call more than once.</summary>
    public async Task ReleaseAsync(Guid job)
    {
        var field = job.ToString("N");
        if (await store.HashGetAsync(JobsKey, field) is not { } placement || !await store.HashDeleteAsync(JobsKey, field))
        {
            return; // not admitted here (a test, an older job), or released already
        }

        completions.Record();
        await store.HashIncrementAsync(LoadKey, Encoding.UTF8.GetString(placement).Split(',', StringSplitOptions.RemoveEmptyEntries)
            .Select(entry => entry.Split(':')).Select(parts => (parts[0], -double.Parse(parts[1], CultureInfo.InvariantCulture))).ToList());
    }

    /// <summary>Jobs in the system now.</summary>
    public Task<long> JobsInSystemAsync() => store.HashLengthAsync(JobsKey);

    /// <summary>Work placed on each instance by jobs that have not ended (model evaluations).</summary>
    public async Task<IReadOnlyDictionary<int, double>> LoadAsync()
    {
        var entries = await store.HashGetAllAsync(LoadKey);
        return entries.ToDictionary(e => int.Parse(e.Key, CultureInfo.InvariantCulture),
            e => Math.Max(0, double.Parse(Encoding.UTF8.GetString(e.Value), CultureInfo.InvariantCulture)));
    }

    /// <summary>The work a role puts on its instance, in model evaluations (a UNet step with guidance counts once).</summary>
    private static double Units(NodeWork work) => work.UnetEvaluations + work.TextEncoderRuns + work.VaeEncoderRuns + work.VaeDecoderRuns;

    private static string Field(int instance) => instance.ToString(CultureInfo.InvariantCulture);
}
