using MassTransit;

namespace Meg.Components.Scheduling;

/// <summary>The state machine's record of one job: which commands of its <see cref="PlanSchedule"/> are done (each named
/// by its first step index), out of how many. Saved to Redis after every event.</summary>
public sealed class JobState : SagaStateMachineInstance
{
    public Guid CorrelationId { get; set; }

    public string CurrentState { get; set; } = "";

    public List<int> Done { get; set; } = [];

    public int CommandCount { get; set; }
}
