using System.Text.Json.Serialization;

namespace Meg.Distributed.Jobs;

/// <summary>The body of <c>POST /api/jobs</c>. Missing optional fields take the defaults shown. A field it does not know is
/// refused rather than ignored, so a misspelt one (or the old <c>seed</c>) cannot silently fall back to a default.</summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed record JobRequest
{
    /// <summary>The text prompt (required, up to 1000 characters).</summary>
    public string? Prompt { get; init; }

    /// <summary>The input sketch as a base64 PNG of the model's size (required).</summary>
    public string? Sketch { get; init; }

    /// <summary>A protocol name from <c>meg protocols</c>, or "auto" (default).</summary>
    public string? Protocol { get; init; } = "auto";

    /// <summary>Average SNR per channel use in dB.</summary>
    public double? SnrDb { get; init; } = 10;

    /// <summary>noiseless (default), awgn, rayleigh, rician, digital or capacity.</summary>
    public string? Channel { get; init; } = "noiseless";

    public int? Steps { get; init; } = 20;

    public double? Strength { get; init; } = 1;

    public double? Guidance { get; init; } = 4;

    /// <summary>Random seed of the model's noise draws: the same one gives the same image.</summary>
    public ulong? RandomSeed { get; init; } = 1;

    /// <summary>The longest any command of the job may wait in a queue, in ms (1 to 600000); past it the job fails with
    /// the wait and the limit. Default: the deployment's Meg:Queues:TimeoutMs.</summary>
    public double? MaxWaitMs { get; init; }

    /// <summary>How long the job may take from its submission to its end, in ms (1 to 3600000); past it the job fails,
    /// naming the step it was waiting for. Default: the deployment's Meg:Jobs:DeadlineMs (5 minutes).</summary>
    public double? DeadlineMs { get; init; }

    /// <summary>Random seed of the channel noise; defaults to <see cref="RandomSeed"/>.</summary>
    public ulong? ChannelRandomSeed { get; init; }
}
