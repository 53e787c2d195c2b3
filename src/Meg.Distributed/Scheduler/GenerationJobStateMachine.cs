using MassTransit;
using Meg.Contracts;
using Meg.Distributed.Commands;

namespace Meg.Distributed.Scheduler;

/// <summary>
/// Keeps a record of each running job (in Redis, so it survives a restart) and ends it: when its workers report it
/// completed, or when a step fails. Nothing on a job's path waits for it: the jobs API sends the commands that wait
/// for nothing (<see cref="Jobs.JobSubmission"/>), the workers send every later command the moment the last command
/// it waits for is done (<see cref="CommandRelease"/>), record their steps and store the final status
/// (<see cref="Jobs.JobProgress"/>).
/// </summary>
public sealed class GenerationJobStateMachine : MassTransitStateMachine<JobState>
{
    public GenerationJobStateMachine()
    {
        InstanceState(x => x.CurrentState);
        Event(() => Submitted, e => e.CorrelateById(c => c.Message.JobId));
        Event(() => Finished, e =>
        {
            e.CorrelateById(c => c.Message.JobId);
            // Its submission not heard of yet: the submission, when it comes, finds the job ended.
            e.OnMissingInstance(m => m.Discard());
        });
        // A failure may overtake the job's submission (the jobs API sends the first commands): without a record of the
        // job it starts one, which it ends at once. The submission, when it comes, finds the job ended.
        Event(() => StepFailed, e => e.CorrelateById(c => c.Message.JobId));
        Event(() => StageFaulted, e => e.CorrelateById(c => c.Message.Message.JobId));
        Event(() => TransferFaulted, e => e.CorrelateById(c => c.Message.Message.JobId));

        Initially(
            When(Submitted)
                .IfElseAsync(c => Driver(c).HasEndedAsync(c.Message.JobId),
                    ended => ended.Finalize(),
                    started => started.ThenAsync(c => Driver(c).StartAsync(c.Saga)).TransitionTo(Running)),
            FailedStep(),
            FailedStage(),
            FailedTransfer());

        During(Running,
            Ignore(Submitted),
            When(Finished)
                .ThenAsync(c => Driver(c).CompleteAsync(c.Saga))
                .Finalize(),
            FailedStep(),
            FailedStage(),
            FailedTransfer());

        SetCompletedWhenFinalized();
    }

    public State Running { get; private set; } = null!;

    public Event<JobSubmitted> Submitted { get; private set; } = null!;

    public Event<JobCompleted> Finished { get; private set; } = null!;

    public Event<StepFailed> StepFailed { get; private set; } = null!;

    public Event<Fault<RunStage>> StageFaulted { get; private set; } = null!;

    public Event<Fault<CarryTransfer>> TransferFaulted { get; private set; } = null!;

    private EventActivities<JobState> FailedStep() => When(StepFailed)
        .ThenAsync(c => Driver(c).FailAsync(c.Saga, c.Message.StepIndex, $"{c.Message.Worker}: {c.Message.Reason}"))
        .Finalize();

    private EventActivities<JobState> FailedStage() => When(StageFaulted)
        .ThenAsync(c => Driver(c).FailDeadLetteredAsync(c.Saga, c.Message.Message.StepIndex, Describe(c.Message), nameof(RunStage)))
        .Finalize();

    private EventActivities<JobState> FailedTransfer() => When(TransferFaulted)
        .ThenAsync(c => Driver(c).FailDeadLetteredAsync(c.Saga, c.Message.Message.StepIndex, Describe(c.Message), nameof(CarryTransfer)))
        .Finalize();

    private static JobDriver Driver(ConsumeContext context) => context.GetServiceOrCreateInstance<JobDriver>();

    private static string Describe<T>(Fault<T> fault) =>
        $"{fault.Host?.MachineName}: {string.Join("; ", fault.Exceptions.Select(e => $"{e.ExceptionType}: {e.Message}"))} (after retries)";
}
