namespace Meg.Chaos.Faults;

/// <summary>What became of the jobs of one fault scenario, and every answer the clients got on the way.</summary>
public sealed record ChaosResult(
    FaultScenario Scenario,
    int Faults,
    int Submitted,
    int Accepted,
    int Completed,
    int Failed,
    int Lost,
    int Stuck,
    int Unavailable,
    int UnavailableWithRetryAfter,
    int OtherServerErrors,
    int NoAnswer,
    IReadOnlyList<string> FailureReasons,
    double Seconds)
{
    /// <summary>Whether the scenario's goal held: nothing lost or stuck, every 503 with Retry-After and no other 5xx, and
    /// (but for the broker and Redis, where a failed job with its reason is allowed) every job completed.</summary>
    public bool MetGoal =>
        Lost == 0 && Stuck == 0 && Accepted == Submitted && OtherServerErrors == 0 && Unavailable == UnavailableWithRetryAfter &&
        (Scenario.Name is "broker" or "redis" || Failed == 0);
}
