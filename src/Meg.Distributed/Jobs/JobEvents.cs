using System.Runtime.CompilerServices;
using Meg.Protocols.Plans;

namespace Meg.Distributed.Jobs;

/// <summary>
/// A job's progress as a stream of events (what <c>GET /api/jobs/{id}/events</c> sends as server-sent events): its
/// state when it changes, each step once as soon as it is recorded, the queue it waits in, and its final status
/// at the end. Woken by the workers' announcements (<see cref="JobStepSignal"/>, <see cref="JobFinishedSignal"/>), and
/// reading the job again at least every <see cref="IdleRead"/> in case one was missed (Redis pub/sub is best effort).
/// </summary>
public sealed class JobEvents(JobStore jobs, JobStepSignal steps, JobFinishedSignal endings)
{
    /// <summary>The longest the stream goes without reading the job: also how often a waiting job's place is told.</summary>
    public static readonly TimeSpan IdleRead = TimeSpan.FromSeconds(1);

    /// <summary>The events of job <paramref name="id"/> until its end (the last event is <see cref="JobEvent.End"/>);
    /// ends early, with no end event, when the job is gone (expired). <paramref name="standing"/> says where the job
    /// waits now (null: not told), told whenever it changes. Access is the caller's to check before.</summary>
    public async IAsyncEnumerable<JobEvent> WatchAsync(Guid id, Func<PlannedJob, JobStatus, Task<QueueStanding?>>? standing = null,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var sent = new HashSet<int>();
        string? state = null;
        QueueStanding? told = null;
        PlannedJob? job = null;
        while (!cancellationToken.IsCancellationRequested)
        {
            // Listening starts before the read, so a step recorded in between still wakes the next wait.
            using var stepped = steps.Listen(id);
            using var ended = endings.Listen(id);
            if (await jobs.GetStatusAsync(id) is not { } status)
            {
                yield break;
            }

            job ??= await jobs.RequireJobAsync(id);
            foreach (var step in status.Steps.Where(s => sent.Add(s.Index)))
            {
                yield return JobEvent.Step(step, sent.Count, status.StepCount, PreviewOf(job.Plan, step.Index));
            }

            if (status.State is JobStates.Completed or JobStates.Failed)
            {
                yield return JobEvent.End(status);
                yield break;
            }

            if (status.State != state)
            {
                state = status.State;
                yield return JobEvent.State(status.State, sent.Count, status.StepCount);
            }

            if (standing is not null && await standing(job, status) is { } place && place != told)
            {
                told = place;
                yield return JobEvent.Queue(place);
            }

            try
            {
                await Task.WhenAny(stepped.Finished, ended.Finished).WaitAsync(IdleRead, cancellationToken);
            }
            catch (TimeoutException)
            {
                // Nothing announced: read the job again anyway.
            }
        }
    }

    /// <summary>The URL of a viewable payload a transfer step delivered (a seed, sketch or image), else null: the cheap
    /// previews of the job's latent, as they cross the air.</summary>
    private static string? PreviewOf(ProtocolPlan plan, int index) =>
        plan.Steps[index] is Transfer t && ReceivedPayloads.ViewableOf(t) is not null ? $"received?step={index}" : null;
}

/// <summary>One event of a job's stream: its <see cref="Type"/> (the SSE event name) and the JSON body.</summary>
public sealed record JobEvent(string Type, object Data)
{
    public static JobEvent State(string state, int stepsDone, int stepCount) => new("state", new StateChange(state, stepsDone, stepCount));

    public static JobEvent Step(StepRecord step, int stepsDone, int stepCount, string? preview) => new("step", new StepFinished(step, stepsDone, stepCount, preview));

    public static JobEvent Queue(QueueStanding standing) => new("queue", standing);

    public static JobEvent End(JobStatus status) => new("end", status);

    public sealed record StateChange(string State, int StepsDone, int StepCount);

    /// <param name="Preview">Relative to the job's URL (<c>/api/jobs/{id}/</c>): the payload this step delivered, as PNG.</param>
    public sealed record StepFinished(StepRecord Step, int StepsDone, int StepCount, string? Preview);
}

/// <summary>Where a job waits: the queue of its next command, the commands waiting in it (this job's among them, unless
/// it runs already) and running from it, and the jobs in the system against the admission limit.</summary>
public sealed record QueueStanding(string Queue, long Depth, long InProgress, long JobsInSystem, int MaxJobs);
