using MassTransit;

namespace Meg.Components.Scheduling;

/// <summary>The state machine's record of one job: which plan step runs next. Saved to Redis after every event.</summary>
public sealed class JobState : SagaStateMachineInstance
{
    public Guid CorrelationId { get; set; }

    public string CurrentState { get; set; } = "";

    /// <summary>Index of the plan step in flight (the one whose completion is awaited).</summary>
    public int NextStep { get; set; }

    public int StepCount { get; set; }
}
