namespace Meg.Protocols.Plans;

/// <summary>A plan that cannot run: names the step and the input it lacks.</summary>
public sealed class PlanValidationException(string planName, PlanStep? step, string message)
    : Exception($"Plan '{planName}': {message}")
{
    public string PlanName { get; } = planName;

    /// <summary>The offending step, or null when the plan as a whole is wrong (e.g. no output).</summary>
    public PlanStep? Step { get; } = step;
}
