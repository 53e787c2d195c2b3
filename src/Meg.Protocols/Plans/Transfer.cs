namespace Meg.Protocols.Plans;

/// <summary>Data sent from one node to another through the channel. All artifacts share one payload kind
/// (a seed may carry the latent and, for sketch-conditioned models, the input latent with it).</summary>
public sealed record Transfer(NodeId From, NodeId To, IReadOnlyList<Artifact> Artifacts) : PlanStep
{
    public Transfer(NodeId from, NodeId to, params Artifact[] artifacts)
        : this(from, to, (IReadOnlyList<Artifact>)artifacts)
    {
    }

    public LinkKind Link => LinkKinds.Between(From, To);

    public PayloadKind Payload => PayloadKinds.Of(Artifacts[0].Kind);

    public override IReadOnlyList<Artifact> Inputs(ProtocolPlan plan) => Artifacts;

    public override string Describe() =>
        $"{Link.ShortName()} {Payload.Name()} {From}->{To} ({string.Join(" + ", Artifacts)})";

    public bool Equals(Transfer? other) =>
        other is not null && From == other.From && To == other.To && Artifacts.SequenceEqual(other.Artifacts);

    public override int GetHashCode() => HashCode.Combine(From, To, Artifacts.Count);
}
