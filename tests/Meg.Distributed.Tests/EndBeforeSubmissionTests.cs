using MassTransit.Testing;
using Meg.Contracts;
using Meg.Distributed.Jobs;
using Meg.Distributed.Nodes;
using Meg.Distributed.Scheduler;
using Microsoft.Extensions.DependencyInjection;

namespace Meg.Distributed.Tests;

/// <summary>The jobs API sends a job's first commands itself, so the state machine may hear of the job's end before it
/// hears of the job: it must still fail it, and keep no record of an ended job.</summary>
public sealed class EndBeforeSubmissionTests
{
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task A_job_that_ended_before_its_submission_was_heard_of_is_ended_and_not_kept(bool fails)
    {
        await using var system = await InMemorySystem.StartAsync(withWorkers: false);
        var job = PlannedJob.Of(InMemoryJobTests.Spec(system.Provider.GetRequiredService<ModelHost>(), "UIEG"));
        var id = job.Spec.Id;
        await system.Jobs.SaveSpecAsync(job);
        await system.Jobs.SaveStatusAsync(JobStatus.Of(job.Spec, job.Plan));
        var machine = system.Harness.GetSagaStateMachineHarness<GenerationJobStateMachine, JobState>();

        if (fails)
        {
            await system.Harness.Bus.Publish(new StepFailed(id, 0, "ue", "the model does not fit"));
            var failed = await system.WaitForEndAsync(id);
            Assert.Equal(JobStates.Failed, failed.State);
            Assert.Contains("the model does not fit", failed.Error, StringComparison.Ordinal);
        }
        else
        {
            // As the job's last worker does: the final status first, then the news.
            await system.Jobs.SaveStatusAsync(JobStatus.Of(job.Spec, job.Plan) with { State = JobStates.Completed, FinishedAt = DateTimeOffset.UtcNow });
            await system.Harness.Bus.Publish(new JobCompleted(id));
            Assert.True(await system.Harness.Consumed.Any<JobCompleted>(m => m.Context.Message.JobId == id));
        }

        await system.Harness.Bus.Publish(new JobSubmitted(id));

        Assert.True(await machine.Consumed.Any<JobSubmitted>(m => m.Context.Message.JobId == id));
        Assert.Null(await machine.Exists(id, m => m.Running, TimeSpan.FromMilliseconds(300)));
        Assert.DoesNotContain(await system.Provider.GetRequiredService<SagaStateStore>().LoadActiveAsync(), s => s.CorrelationId == id);
        Assert.Equal(fails ? JobStates.Failed : JobStates.Completed, (await system.Jobs.GetStatusAsync(id))?.State);
    }
}
