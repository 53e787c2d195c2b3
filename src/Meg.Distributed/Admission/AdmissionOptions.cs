namespace Meg.Distributed.Admission;

/// <summary>How much work the system takes in (configuration "Meg:Admission").</summary>
public sealed class AdmissionOptions
{
    /// <summary>Jobs accepted and not yet ended, at most; past it a submission is refused with 503 and Retry-After.</summary>
    public int MaxJobs { get; set; } = 64;
}

/// <summary>How long a command may wait in a queue (configuration "Meg:Queues"); a job's own maxWaitMs overrides it.</summary>
public sealed class QueueOptions
{
    public double TimeoutMs { get; set; } = 60_000;
}
