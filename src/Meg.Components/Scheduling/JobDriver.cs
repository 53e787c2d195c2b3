using MassTransit;
using Meg.Components.Jobs;
using Meg.Contracts;
using Meg.Protocols.Plans;

namespace Meg.Components.Scheduling;

/// <summary>What the state machine does at each event: send the commands that wait for nothing when the job starts,
/// record finished steps, finish or fail the job. The state machine is the only writer of a job's status.</summary>
public sealed class JobDriver(JobStore jobs, SagaStateStore sagas, JobFinishedSignal endings)
{
    public async Task StartAsync(BehaviorContext<JobState, JobSubmitted> context)
    {
        var (spec, plan, schedule) = await jobs.RequireJobAsync(context.Message.JobId);
        context.Saga.CommandCount = schedule.Commands.Count;
        // Only the commands that wait for nothing: every other one is sent by the worker that finishes the last command
        // it waits for (CommandRelease). They go first: the writes below are off the job's critical path (the saga
        // instance stays locked until they finish, so no completion can overtake them).
        await CommandDispatch.SendAllAsync(context, spec.Id, plan, schedule.Sources);
        context.Saga.CurrentState = "Running";
        await Task.WhenAll(jobs.SaveStatusAsync(NewStatus(spec, plan) with { State = JobStates.Running }), sagas.AddAsync(context.Saga));
    }

    public async Task RecordAsync(BehaviorContext<JobState, StepCompleted> context)
    {
        var message = context.Message;
        var (spec, plan, schedule) = await jobs.RequireJobAsync(message.JobId);
        var stored = jobs.GetOwnStatusAsync(spec.Id);
        if (!schedule.Commands.Any(c => c.FirstStep == message.StepIndex && c.Count == message.Runs.Count))
        {
            throw new InvalidOperationException($"Job {spec.Id:N}: no command of plan {plan.Name} is {message.Runs.Count} steps from step {message.StepIndex} ({message.Worker} reported it).");
        }

        context.Saga.Done.Add(message.StepIndex);
        var status = await stored ?? NewStatus(spec, plan);
        // A new list: the status read is the one kept as last written, which must not change.
        var steps = status.Steps.Concat(Describe(plan, message)).OrderBy(s => s.Index).ToList(); // commands finish in any order
        if (context.Saga.Done.Count >= context.Saga.CommandCount)
        {
            var now = DateTimeOffset.UtcNow;
            var removed = sagas.RemoveAsync(spec.Id);
            await jobs.SaveStatusAsync(status with
            {
                State = JobStates.Completed,
                Steps = steps,
                Accounting = Totals(steps),
                FinishedAt = now,
                ElapsedMs = (now - spec.SubmittedAt).TotalMilliseconds,
            });
            // The waiting requests read the final status: it is stored; the saga's removal need not hold them up.
            await endings.AnnounceAsync(spec.Id);
            await removed;
            return;
        }

        await Task.WhenAll(jobs.SaveStatusAsync(status with { Steps = steps, Accounting = Totals(steps) }), sagas.SaveAsync(context.Saga));
    }

    public async Task FailAsync(JobState saga, int stepIndex, string reason)
    {
        var status = await jobs.GetOwnStatusAsync(saga.CorrelationId);
        if (status is not null)
        {
            var now = DateTimeOffset.UtcNow;
            await jobs.SaveStatusAsync(status with
            {
                State = JobStates.Failed,
                Error = $"Step {stepIndex}: {reason}",
                FinishedAt = now,
                ElapsedMs = (now - status.SubmittedAt).TotalMilliseconds,
            });
        }

        await sagas.RemoveAsync(saga.CorrelationId);
        await endings.AnnounceAsync(saga.CorrelationId);
    }

    public static JobStatus NewStatus(JobSpec spec, ProtocolPlan plan) => new()
    {
        Id = spec.Id,
        Protocol = plan.Name,
        StepCount = plan.Steps.Count,
        Images = plan.ImagesPerRequest,
        SubmittedAt = spec.SubmittedAt,
    };

    /// <summary>One record per plan step the message completes: the later steps of a command waited for nothing but
    /// the step before them on the same worker.</summary>
    private static IEnumerable<StepRecord> Describe(ProtocolPlan plan, StepCompleted message)
    {
        var runs = message.Runs;
        for (var k = 0; k < runs.Count; k++)
        {
            var sentAt = k == 0 ? message.SentAt : runs[k - 1].FinishedAt;
            var finishedAt = runs[k].FinishedAt;
            var queueMs = k == 0 ? message.QueueMs : 0;
            yield return plan.Steps[message.StepIndex + k] switch
            {
                Transfer t => new StepRecord(message.StepIndex + k, "transfer", t.Describe(), $"{t.From}->{t.To}", message.Worker,
                    queueMs, runs[k].ServiceMs, false, t.Link.ShortName(), runs[k].Transfer, sentAt, finishedAt, runs[k].ComputeMs),
                Stage s => new StepRecord(message.StepIndex + k, "stage", s.Describe(), s.Node.ToString(), message.Worker,
                    queueMs, runs[k].ServiceMs, runs[k].CacheHit, SentAt: sentAt, FinishedAt: finishedAt, ComputeMs: runs[k].ComputeMs),
                var other => throw new InvalidOperationException($"Unknown step type {other.GetType().Name}."),
            };
        }
    }

    private static List<LinkAccounting> Totals(IEnumerable<StepRecord> steps) =>
        steps.Where(s => s.Transfer is not null)
            .GroupBy(s => s.Link!)
            .Select(g => new LinkAccounting(g.Key, g.Sum(s => s.Transfer!.Values), g.Sum(s => s.Transfer!.Bits),
                g.Sum(s => s.Transfer!.ChannelUses), g.Sum(s => s.Transfer!.AirtimeSeconds)))
            .OrderBy(l => l.Link)
            .ToList();
}
