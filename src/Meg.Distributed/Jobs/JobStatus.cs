using Meg.Contracts;
using Meg.Protocols.Plans;

namespace Meg.Distributed.Jobs;

/// <summary>What <c>GET /api/jobs/{id}</c> answers: state, per-step timings and channel accounting.</summary>
public sealed record JobStatus
{
    public required Guid Id { get; init; }

    /// <summary>queued, running, completed or failed.</summary>
    public string State { get; init; } = JobStates.Queued;

    public required string Protocol { get; init; }

    public required int StepCount { get; init; }

    public int Images { get; init; }

    public List<StepRecord> Steps { get; init; } = [];

    public List<LinkAccounting> Accounting { get; init; } = [];

    public string? Error { get; init; }

    public DateTimeOffset SubmittedAt { get; init; }

    public DateTimeOffset? FinishedAt { get; init; }

    /// <summary>The API client that submitted the job (null when access control is off): only it and the administrator
    /// see the job.</summary>
    public string? Client { get; init; }

    /// <summary>Submission to the last step, in milliseconds.</summary>
    public double? ElapsedMs { get; init; }

    /// <summary>A new job's status: queued, no steps yet.</summary>
    public static JobStatus Of(JobSpec spec, ProtocolPlan plan) => new()
    {
        Id = spec.Id,
        Protocol = plan.Name,
        StepCount = plan.Steps.Count,
        Images = plan.ImagesPerRequest,
        SubmittedAt = spec.SubmittedAt,
        Client = spec.Client,
    };
}

public static class JobStates
{
    public const string Queued = "queued";
    public const string Running = "running";
    public const string Completed = "completed";
    public const string Failed = "failed";
}

/// <summary>One finished step: where it ran, how long it waited and worked, and for transfers what it cost.
/// <see cref="SentAt"/> and <see cref="FinishedAt"/> (UTC) show the hand-offs between steps; <see cref="ComputeMs"/> is the
/// part of <see cref="ServiceMs"/> spent in the model or the channel (the rest: loading and storing the payloads).</summary>
public sealed record StepRecord(
    int Index,
    string Kind,
    string Description,
    string Node,
    string Worker,
    double QueueMs,
    double ServiceMs,
    bool CacheHit,
    string? Link = null,
    TransferMeasurement? Transfer = null,
    DateTime? SentAt = null,
    DateTime? FinishedAt = null,
    double ComputeMs = 0);

/// <summary>Totals for one link (UL, DL or BH).</summary>
public sealed record LinkAccounting(string Link, long Values, long Bits, long ChannelUses, double AirtimeSeconds);
