namespace Meg.Protocols.Plans;

/// <summary>
/// A protocol expressed as data: an ordered list of stages placed on nodes and transfers between them.
/// The same plan drives the in-process executor and the distributed services, and on its own gives the
/// compute per node and the load per link.
/// </summary>
public sealed record ProtocolPlan
{
    public required string Name { get; init; }

    public string Description { get; init; } = "";

    /// <summary>Denoising steps N of one full generation.</summary>
    public required int TotalSteps { get; init; }

    /// <summary>First denoising step: 0 for pure noise, or N - floor(N * strength) for image-to-image.</summary>
    public int StartStep { get; init; }

    /// <summary>Whether the UNet takes the input latent as a condition at every step (InstructPix2Pix
    /// layout), so every node that denoises needs it.</summary>
    public bool SketchConditioned { get; init; }

    /// <summary>Images generated per request (parallel multi-ES plans share them across servers).</summary>
    public int ImagesPerRequest { get; init; } = 1;

    /// <summary>Edge servers the plan uses (ES1..ESK).</summary>
    public int EdgeServers { get; init; } = 1;

    public required IReadOnlyList<PlanStep> Steps { get; init; }

    public IEnumerable<Stage> Stages => Steps.OfType<Stage>();

    public IEnumerable<Transfer> Transfers => Steps.OfType<Transfer>();

    /// <summary>UE first, then ES1..ESK.</summary>
    public IReadOnlyList<NodeId> Nodes =>
        [NodeId.UserEquipment, .. Enumerable.Range(1, EdgeServers).Select(NodeId.EdgeServer)];

    /// <summary>Throws <see cref="PlanValidationException"/> when a step's input is missing on its node.</summary>
    public ProtocolPlan Validate()
    {
        PlanValidator.Validate(this);
        return this;
    }
}
