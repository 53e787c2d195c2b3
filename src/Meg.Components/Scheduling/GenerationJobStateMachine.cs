using MassTransit;
using Meg.Contracts;

namespace Meg.Components.Scheduling;

/// <summary>
/// Drives one job through its plan: starts it by sending the commands (runs of steps, see <see cref="PlanSchedule"/>)
/// that wait for nothing, and ends it when its workers report it completed or a step fails. The workers send every
/// later command themselves the moment the last command it waits for is done (<see cref="CommandRelease"/>), record
/// their steps and store the final status (<see cref="Jobs.JobProgress"/>), so no step waits for a round trip through
/// here. Failures end the job.
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
            When(Finished)
                .ThenAsync(c => Driver(c).CompleteAsync(c.Saga))
                .Finalize(),
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

    public Event<JobCompleted> Finished { get; private set; } = null!;

    public Event<StepFailed> StepFailed { get; private set; } = null!;

    public Event<Fault<RunStage>> StageFaulted { get; private set; } = null!;

    public Event<Fault<CarryTransfer>> TransferFaulted { get; private set; } = null!;

    private static JobDriver Driver(ConsumeContext context) => context.GetServiceOrCreateInstance<JobDriver>();

    private static string Describe<T>(Fault<T> fault) =>
        $"{fault.Host?.MachineName}: {string.Join("; ", fault.Exceptions.Select(e => $"{e.ExceptionType}: {e.Message}"))} (after retries)";
}
