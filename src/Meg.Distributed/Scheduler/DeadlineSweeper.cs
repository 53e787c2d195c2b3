using System.Globalization;
using MassTransit;
using Meg.Contracts;
using Meg.Distributed.Jobs;
using Meg.Distributed.Storage;
using Meg.Protocols.Plans;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Meg.Distributed.Scheduler;

/// <summary>
/// Fails every job still unfinished at its deadline (<see cref="JobDeadlines"/>), naming the step it was waiting for
/// and the node that had it: the job whose command nobody consumes (a dead worker, a lost message) ends too. It fails
/// the job as a worker does, with <see cref="StepFailed"/> to the state machine, so one path ends every failed job; a
/// result that comes later is dropped (<see cref="JobEnding"/>).
/// </summary>
public sealed class DeadlineSweeper(
    JobDeadlines deadlines,
    JobStore jobs,
    IBlobStore store,
    IBus bus,
    IOptions<JobOptions> options,
    ILogger<DeadlineSweeper> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(options.Value.SweepIntervalMs));
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                await SweepAsync(stoppingToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // Redis or the broker away for a moment: the deadlines stay stored, the next tick tries again.
                logger.LogWarning(e, "Looking for jobs past their deadline failed; trying again in {Interval} ms", options.Value.SweepIntervalMs);
            }
        }
    }

    /// <summary>Fails the jobs past their deadline now; how many.</summary>
    public async Task<int> SweepAsync(CancellationToken cancellationToken = default)
    {
        var due = await deadlines.DueAsync();
        foreach (var job in due)
        {
            var (step, reason) = await DescribeAsync(job);
            logger.LogWarning("Job {Job} missed its deadline: {Reason}", job, reason);
            await bus.Publish(new StepFailed(job, step, "scheduler", reason), cancellationToken);
            // Forgotten once the failure is on its way: a scheduler that dies in between fails the job again, which
            // ends it once all the same.
            await deadlines.ForgetAsync(job);
        }

        return due.Count;
    }

    /// <summary>The first step the job was still waiting for, and what to tell its user.</summary>
    private async Task<(int Step, string Reason)> DescribeAsync(Guid id)
    {
        PlannedJob job;
        try
        {
            job = await jobs.RequireJobAsync(id);
        }
        catch (InvalidOperationException)
        {
            return (0, "its deadline passed and its spec is gone from the store");
        }

        var limit = string.Create(CultureInfo.InvariantCulture, $"{deadlines.DeadlineOf(job.Spec).TotalSeconds:0.###} s");

        var done = (await store.HashGetAllAsync(JobStore.ProgressKey(id))).Keys
            .Select(k => int.Parse(k, CultureInfo.InvariantCulture)).ToHashSet();
        var commands = job.Schedule.Commands;
        var pending = commands.FirstOrDefault(c => !done.Contains(c.FirstStep) && c.WaitsFor.All(w => done.Contains(commands[w].FirstStep)));
        if (pending is null)
        {
            return (0, $"its deadline of {limit} passed");
        }

        var step = job.Plan.Steps[pending.FirstStep];
        var node = step switch
        {
            Stage s => JobPlanning.QueueOf(s.Node, job.Spec),
            _ => JobPlanning.ChannelQueue,
        };
        return (pending.FirstStep, $"its deadline of {limit} passed while step {pending.FirstStep} ({step.Describe()}) waited for or ran on {node}");
    }
}
