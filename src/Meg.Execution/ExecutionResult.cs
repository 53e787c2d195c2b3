using Meg.Imaging;
using Meg.Protocols.Plans;

namespace Meg.Execution;

/// <summary>Everything one run of a plan produced: the images, compute time per node and per step (a stage in the model,
/// a transfer through the channel), what each transfer cost, and the payloads as sent and as received (seeds and
/// sketches, for inspection).</summary>
public sealed record ExecutionResult(
    ProtocolPlan Plan,
    IReadOnlyList<RgbImage> Images,
    IReadOnlyList<TransferRecord> Transfers,
    IReadOnlyList<PayloadSnapshot> Payloads,
    IReadOnlyList<TimeSpan> StepTime)
{
    /// <summary>Per node, the time of its stages (every node of the plan; zero for one that computes nothing).</summary>
    public IReadOnlyDictionary<NodeId, TimeSpan> ComputeTime { get; } = Plan.Nodes.ToDictionary(node => node, node =>
        Plan.Steps.Select((step, i) => step is Stage stage && stage.Node == node ? StepTime[i] : TimeSpan.Zero).Aggregate(TimeSpan.Zero, (a, b) => a + b));

    public long ChannelUses(LinkKind link) => Transfers.Where(t => t.Link == link).Sum(t => t.ChannelUses);

    public long TotalChannelUses => Transfers.Sum(t => t.ChannelUses);

    public long TotalBits => Transfers.Sum(t => t.Bits);

    public long TotalValues => Transfers.Sum(t => t.Values);

    public double TotalAirtimeSeconds => Transfers.Sum(t => t.AirtimeSeconds);

    public bool AnyDecodeFailed => Transfers.Any(t => t.DecodeFailed);

    public bool AnyOutage => Transfers.Any(t => t.Outage);
}

/// <summary>One artifact as it left the sender and as the receiver got it.</summary>
public sealed record PayloadSnapshot(Transfer Transfer, Artifact Artifact, object Sent, object Received);
