using MassTransit;

namespace Meg.Components.Scheduling;

/// <summary>The state machine's record of one job: which commands of its <see cref="PlanSchedule"/> are sent (a command
/// in a chain counts as sent with the chain's head: a worker passes it on) and which are done (each named by its first
/// step index). Saved to Redis after every event.</summary>
public sealed class JobState : SagaStateMachineInstance
{
    public Guid CorrelationId { get; set; }

    public string CurrentState { get; set; } = "";

    public List<int> Sent { get; set; } = [];

    public List<int> Done { get; set; } = [];

    public int CommandCount { get; set; }
}
