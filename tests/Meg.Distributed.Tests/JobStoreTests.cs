using Meg.Contracts;
using Meg.Distributed.Jobs;
using Meg.Distributed.Nodes;
using Meg.Distributed.Storage;
using Microsoft.Extensions.Options;

namespace Meg.Distributed.Tests;

/// <summary>A job's status as the API reads it: stored when the job is accepted and when it ends, and in between made
/// of the steps its commands have recorded.</summary>
public sealed class JobStoreTests
{
    private static readonly ModelHost Model = new(Options.Create(new ModelOptions { Model = RepositoryLayout.TestFixture("fp32-sketch-conditioned") }),
        Microsoft.Extensions.Logging.Abstractions.NullLogger<ModelHost>.Instance);

    internal static StepCompleted Report(PlannedJob job, int command, string worker) => new(
        job.Spec.Id,
        job.Schedule.Commands[command].FirstStep,
        worker,
        QueueMs: 1,
        SentAt: DateTime.UtcNow,
        Runs: Enumerable.Range(0, job.Schedule.Commands[command].Count).Select(_ => new StepRun(2, false, DateTime.UtcNow,
            job.Plan.Steps[job.Schedule.Commands[command].FirstStep] is Meg.Protocols.Plans.Transfer ? new TransferMeasurement(10, 320, 5, 0.001, null, false, false, null) : null)).ToArray(),
        OutputRefs: []);

    [Fact]
    public async Task A_job_is_queued_until_a_command_is_recorded_then_running_with_that_commands_steps_in_every_process()
    {
        var store = new InMemoryBlobStore();
        var jobs = new JobStore(store, Options.Create(new StorageOptions()));
        var job = PlannedJob.Of(InMemoryJobTests.Spec(Model, "UIEG"));
        await jobs.SaveSpecAsync(job);
        await jobs.SaveStatusAsync(JobStatus.Of(job.Spec, job.Plan));
        Assert.Equal(JobStates.Queued, (await jobs.GetStatusAsync(job.Spec.Id))?.State);

        var first = Report(job, 0, "ue");
        await store.HashAddAndGetAllAsync(JobStore.ProgressKey(job.Spec.Id), first.StepIndex.ToString(System.Globalization.CultureInfo.InvariantCulture),
            StepRecords.Write(first), TimeSpan.FromMinutes(1));

        // Another process (a second scheduler) reads the spec from the store to describe the steps.
        foreach (var reader in new[] { jobs, new JobStore(store, Options.Create(new StorageOptions())) })
        {
            var status = await reader.GetStatusAsync(job.Spec.Id);
            Assert.Equal(JobStates.Running, status?.State);
            Assert.Equal(Enumerable.Range(first.StepIndex, first.Runs.Count), status!.Steps.Select(s => s.Index));
            Assert.All(status.Steps, s => Assert.Equal("ue", s.Worker));
            Assert.Equal(first.Runs.Count(r => r.Transfer is not null) * 5, status.Accounting.Sum(a => a.ChannelUses));
        }

        Assert.Null(await jobs.GetStatusAsync(Guid.NewGuid()));
    }

    [Fact]
    public async Task An_ended_job_is_read_as_stored()
    {
        var store = new InMemoryBlobStore();
        var jobs = new JobStore(store, Options.Create(new StorageOptions()));
        var job = PlannedJob.Of(InMemoryJobTests.Spec(Model, "UIEG"));
        await jobs.SaveSpecAsync(job);
        var report = Report(job, 0, "ue");
        await store.HashAddAndGetAllAsync(JobStore.ProgressKey(job.Spec.Id), "0", StepRecords.Write(report), TimeSpan.FromMinutes(1));
        await jobs.SaveStatusAsync(JobStatus.Of(job.Spec, job.Plan) with { State = JobStates.Failed, Error = "Step 1: broken" });

        var status = await jobs.GetStatusAsync(job.Spec.Id);

        Assert.Equal(JobStates.Failed, status?.State);
        Assert.Empty(status!.Steps);
    }

    [Fact]
    public async Task A_worker_plans_a_job_from_the_spec_its_command_carries_without_the_store()
    {
        var job = PlannedJob.Of(InMemoryJobTests.Spec(Model, "CIAG"));
        var worker = new JobStore(new InMemoryBlobStore(), Options.Create(new StorageOptions())); // an empty store

        var planned = await worker.RequireJobAsync(job.Spec.Id, job.SpecJson);

        Assert.Equal(job.Spec with { }, planned.Spec);
        Assert.Equal(job.Schedule.Commands.Count, planned.Schedule.Commands.Count);
        await Assert.ThrowsAsync<InvalidOperationException>(() => worker.RequireJobAsync(Guid.NewGuid(), job.SpecJson)); // another job's spec
        await Assert.ThrowsAsync<InvalidOperationException>(() => worker.RequireJobAsync(Guid.NewGuid())); // nothing carried, nothing stored
    }
}
