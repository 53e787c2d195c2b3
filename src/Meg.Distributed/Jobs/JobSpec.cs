using Meg.Channel;
using Meg.Diffusion.Pipeline;
using Meg.Execution;
using Meg.Protocols;

namespace Meg.Distributed.Jobs;

/// <summary>
/// A validated job: everything any service needs to rebuild its plan and run its part. Stored in Redis once at
/// submission; the prompt and the sketch start in the UE's memory in the claim-check store.
/// </summary>
public sealed record JobSpec
{
    public required Guid Id { get; init; }

    public required string Prompt { get; init; }

    /// <summary>The protocol the plan is built from ("auto" already resolved).</summary>
    public required string Protocol { get; init; }

    public required PlanParameters Plan { get; init; }

    public required GenerationSettings Settings { get; init; }

    public required ChannelSettings Channel { get; init; }

    public SeedForm SeedForm { get; init; } = SeedForm.Float32;

    public ImageForm ImageForm { get; init; } = ImageForm.RawPixels;

    public ulong ChannelRandomSeed { get; init; } = 1;

    public bool RobustDecoder { get; init; }

    /// <summary>The model's name (its folder name): the text-embedding cache key.</summary>
    public required string Model { get; init; }

    public DateTimeOffset SubmittedAt { get; init; } = DateTimeOffset.UtcNow;

    /// <summary>The edge-server instance that plays each ES role: entry k-1 for ES k (null: ES k is instance k). The
    /// scheduler chooses them when it admits the job, from the instances' load.</summary>
    public IReadOnlyList<int>? EdgeInstances { get; init; }

    /// <summary>The longest a command of this job may wait in a queue before the job fails (null: the deployment's
    /// Meg:Queues:TimeoutMs).</summary>
    public double? MaxWaitMs { get; init; }

    /// <summary>The API client that submitted the job (null when access control is off).</summary>
    public string? Client { get; init; }

    /// <summary>How long the job may take from its submission to its end (null: the deployment's Meg:Jobs:DeadlineMs).</summary>
    public double? DeadlineMs { get; init; }

    /// <summary>The instance that plays <paramref name="node"/> when it is an edge server.</summary>
    public int InstanceOf(Meg.Protocols.Plans.NodeId node) =>
        EdgeInstances is { } instances && node.EdgeIndex >= 1 && node.EdgeIndex <= instances.Count ? instances[node.EdgeIndex - 1] : node.EdgeIndex;

    public TransmissionOptions Transmission => new()
    {
        Channel = Channel,
        SeedForm = SeedForm,
        ImageForm = ImageForm,
        ChannelRandomSeed = ChannelRandomSeed,
        RobustDecoder = RobustDecoder,
    };
}
