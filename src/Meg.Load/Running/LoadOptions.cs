using Meg.Load.Arrivals;

namespace Meg.Load.Running;

/// <summary>Everything a load run does; see <c>meg load --help</c> for each field's meaning and range.</summary>
public sealed record LoadOptions
{
    public required Uri Gateway { get; init; }

    /// <summary>Sent as X-Api-Key (null: the system runs without keys). Never written to the report.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public string? ApiKey { get; init; }

    /// <summary>Each protocol is swept alone over the rates, unless <see cref="Mix"/> sends them together.</summary>
    public IReadOnlyList<string> Protocols { get; init; } = ["Centralized", "CIAG"];

    public ProtocolMix? Mix { get; init; }

    /// <summary>Offered rates (requests per second). Empty when <see cref="Utilisations"/> sets them.</summary>
    public IReadOnlyList<double> Rates { get; init; } = [];

    /// <summary>Target ES utilisations: each protocol's rates follow from its ES service time, measured first in a
    /// calibration level (one request at a time).</summary>
    public IReadOnlyList<double> Utilisations { get; init; } = [];

    /// <summary>Requests each calibration user sends (edge servers x slots + 1 users, back to back); the first half of
    /// all of them warms the system up.</summary>
    public int CalibrationRequests { get; init; } = 16;

    public TimeSpan Duration { get; init; } = TimeSpan.FromSeconds(60);

    public TimeSpan Warmup { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>How long, after a level's last arrival, its requests may take to finish before they count as unfinished.</summary>
    public TimeSpan Drain { get; init; } = TimeSpan.FromSeconds(120);

    public ArrivalKind Arrivals { get; init; } = ArrivalKind.Poisson;

    /// <summary>Squared coefficient of variation of the gaps for gamma arrivals.</summary>
    public double ArrivalScv { get; init; } = 1;

    public string? TraceFile { get; init; }

    /// <summary>Closed loop: this many users, each sending its next request a think time after its last one ended.</summary>
    public int ClosedUsers { get; init; }

    public TimeSpan ThinkTime { get; init; } = TimeSpan.FromSeconds(1);

    public ulong RandomSeed { get; init; } = 1;

    public int Steps { get; init; } = 20;

    public string Channel { get; init; } = "awgn";

    public double SnrDb { get; init; } = 10;

    /// <summary>Edge-server instances and slots the system runs (for the theory's server count).</summary>
    public int EdgeServers { get; init; } = 2;

    public int Slots { get; init; } = 1;

    public TimeSpan SloEndToEnd { get; init; } = TimeSpan.FromSeconds(5);

    public TimeSpan SloWait { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>The goodput a level needs to meet the SLO.</summary>
    public double SloTarget { get; init; } = 0.95;

    /// <summary>Search the highest rate meeting the SLO between the lowest and highest of <see cref="Rates"/> (or of the
    /// rates <see cref="Utilisations"/> give) instead of sweeping them.</summary>
    public bool FindMaxRate { get; init; }

    /// <summary>Requests per level at most: a safety bound on what one run sends.</summary>
    public int MaxRequestsPerLevel { get; init; } = 5000;

    public required string EvaluationFolder { get; init; }

    public required string OutputFolder { get; init; }
}
