using MassTransit;

namespace Meg.Distributed.Scheduler;

/// <summary>The state machine's record of one job, saved to Redis when the job starts and dropped when it ends. Its
/// progress is the workers' (<see cref="Jobs.JobProgress"/>).</summary>
public sealed class JobState : SagaStateMachineInstance
{
    public Guid CorrelationId { get; set; }

    public string CurrentState { get; set; } = "";
}
