namespace Meg.Load.Running;

/// <summary>The parts of <c>GET /api/jobs/{id}</c> a load run reads (the public API's JSON).</summary>
public sealed record JobView(Guid Id, string State, string? Error, double? ElapsedMs, IReadOnlyList<StepView>? Steps)
{
    public bool Ended => State is "completed" or "failed";
}

public sealed record StepView(string Kind, string Node, string Worker, double QueueMs, double ServiceMs);

/// <summary>The parts of <c>GET /api/system/queues</c> a load run reads.</summary>
public sealed record QueueSnapshotView(DateTimeOffset At, long JobsInSystem, int MaxJobs, IReadOnlyList<NodeQueueView> Nodes)
{
    /// <summary>The user devices' speed against this machine (1 when the system does not say).</summary>
    public double UeSpeed { get; init; } = 1;
}

public sealed record NodeQueueView(string Queue, string Kind, long Depth, long InProgress, long Finished, double? MeanServiceMs, double? MeanWaitMs)
{
    /// <summary>Total service time so far (mean times count).</summary>
    public double ServiceMsTotal => (MeanServiceMs ?? 0) * Finished;
}
