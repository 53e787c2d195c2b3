using MassTransit;
using Meg.Contracts;

namespace Meg.Components.Scheduling;

/// <summary>
/// Drives one job through its plan: starts it by sending the commands (runs of steps, see <see cref="PlanSchedule"/>)
/// that wait for nothing, records every step as it completes, and finishes the job when all are done. The workers
/// send every later command themselves the moment the last command it waits for is done (<see cref="CommandRelease"/>),
/// so no step waits for a round trip through here. Failures end the job.
/// </summary>
public sealed class GenerationJobStateMachine : MassTransitStateMachine<JobState>
{
    public GenerationJobStateMachine()
    {
        InstanceState(x => x.CurrentState);
        Event(() => Submitted, e => e.CorrelateById(c => c.Message.JobId));
        Event(() => StepDone, e =>
        {
            e.CorrelateById(c => c.Message.JobId);
            e.OnMissingInstance(m => m.Discard());
        });
        Event(() => StepFailed, e =>
        {
            e.CorrelateById(c => c.Message.JobId);
            e.OnMissingInstance(m => m.Discard());
        });
        Event(() => StageFaulted, e =>
        {
            e.CorrelateById(c => c.Message.Message.JobId);
            e.OnMissingInstance(m => m.Discard());
        });
        Event(() => TransferFaulted, e =>
        {
            e.CorrelateById(c => c.Message.Message.JobId);
            e.OnMissingInstance(m => m.Discard());
        });

        Initially(
            When(Submitted)
                .ThenAsync(c => Driver(c).StartAsync(c))
                .TransitionTo(Running));

        During(Running,
            Ignore(Submitted),
            // A redelivered completion (or a command sent twice after a redelivery) is recorded once.
            When(StepDone, c => !c.Saga.Done.Contains(c.Message.StepIndex))
                .ThenAsync(c => Driver(c).RecordAsync(c))
                .If(c => c.Saga.Done.Count >= c.Saga.CommandCount, done => done.Finalize()),
            When(StepFailed)
                .ThenAsync(c => Driver(c).FailAsync(c.Saga, c.Message.StepIndex, $"{c.Message.Worker}: {c.Message.Reason}"))
                .Finalize(),
            When(StageFaulted)
                .ThenAsync(c => Driver(c).FailAsync(c.Saga, c.Message.Message.StepIndex, Describe(c.Message)))
                .Finalize(),
            When(TransferFaulted)
                .ThenAsync(c => Driver(c).FailAsync(c.Saga, c.Message.Message.StepIndex, Describe(c.Message)))
                .Finalize());

        SetCompletedWhenFinalized();
    }

    public State Running { get; private set; } = null!;

    public Event<JobSubmitted> Submitted { get; private set; } = null!;

    public Event<StepCompleted> StepDone { get; private set; } = null!;

    public Event<StepFailed> StepFailed { get; private set; } = null!;

    public Event<Fault<RunStage>> StageFaulted { get; private set; } = null!;

    public Event<Fault<CarryTransfer>> TransferFaulted { get; private set; } = null!;

    private static JobDriver Driver(ConsumeContext context) => context.GetServiceOrCreateInstance<JobDriver>();

    private static string Describe<T>(Fault<T> fault) =>
        $"{fault.Host?.MachineName}: {string.Join("; ", fault.Exceptions.Select(e => $"{e.ExceptionType}: {e.Message}"))} (after retries)";
}
