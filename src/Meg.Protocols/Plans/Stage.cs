namespace Meg.Protocols.Plans;

/// <summary>
/// A model part placed on a node. <see cref="Share"/> is the image of the request it works on
/// (stages that serve every image, text and VAE encoding, use <see cref="Artifact.AllShares"/>).
/// </summary>
public sealed record Stage(StageKind Kind, NodeId Node, int Share = Artifact.AllShares) : PlanStep
{
    /// <summary>First denoising step (inclusive) of a <see cref="StageKind.Denoise"/> stage.</summary>
    public int FromStep { get; init; }

    /// <summary>Last denoising step (exclusive) of a <see cref="StageKind.Denoise"/> stage.</summary>
    public int ToStep { get; init; }

    /// <summary>Long side in pixels of the sketch made (<see cref="StageKind.MakeSketch"/>) or completed.</summary>
    public int SketchSide { get; init; }

    /// <summary>Step at which sketch completion starts denoising (its image-to-image strength).</summary>
    public int CompletionStartStep { get; init; }

    /// <summary>Whether sketch completion conditions on the node's own copy of the user's input image
    /// (the UE has it; an edge server further down a chain may not).</summary>
    public bool UseInputAsCondition { get; init; }

    public static Stage Text(NodeId node) => new(StageKind.TextEncode, node);

    public static Stage Encode(NodeId node) => new(StageKind.VaeEncode, node);

    public static Stage Denoise(NodeId node, int from, int to, int share) =>
        new(StageKind.Denoise, node, share) { FromStep = from, ToStep = to };

    public static Stage Decode(NodeId node, int share) => new(StageKind.VaeDecode, node, share);

    public static Stage Sketch(NodeId node, int share, int side) =>
        new(StageKind.MakeSketch, node, share) { SketchSide = side };

    public static Stage Complete(NodeId node, int share, int sketchSide, int startStep, bool useInput) =>
        new(StageKind.CompleteSketch, node, share)
        {
            SketchSide = sketchSide,
            CompletionStartStep = startStep,
            UseInputAsCondition = useInput,
        };

    public override IReadOnlyList<Artifact> Inputs(ProtocolPlan plan) => Kind switch
    {
        StageKind.TextEncode => [Artifact.Prompt],
        StageKind.VaeEncode => [Artifact.InputImage],
        StageKind.Denoise => DenoiseInputs(plan),
        StageKind.VaeDecode => [Artifact.LatentAt(plan.TotalSteps, Share)],
        StageKind.MakeSketch => [Artifact.ImageOf(Share)],
        StageKind.CompleteSketch => UseInputAsCondition
            ? [Artifact.SketchOf(Share, SketchSide), Artifact.Prompt, Artifact.InputImage]
            : [Artifact.SketchOf(Share, SketchSide), Artifact.Prompt],
        _ => throw new InvalidOperationException($"Unknown stage kind {Kind}."),
    };

    /// <summary>What this stage leaves on its node.</summary>
    public IReadOnlyList<Artifact> Outputs(ProtocolPlan plan) => Kind switch
    {
        StageKind.TextEncode => [Artifact.TextEmbedding],
        StageKind.VaeEncode => [Artifact.InputLatent],
        StageKind.Denoise => [Artifact.LatentAt(ToStep, Share)],
        StageKind.VaeDecode or StageKind.CompleteSketch => [Artifact.ImageOf(Share)],
        StageKind.MakeSketch => [Artifact.SketchOf(Share, SketchSide)],
        _ => throw new InvalidOperationException($"Unknown stage kind {Kind}."),
    };

    private List<Artifact> DenoiseInputs(ProtocolPlan plan)
    {
        // The first step starts from the encoded input (noised to the strength, or pure noise drawn from
        // the request's seed for a sketch-conditioned UNet); later steps continue a latent.
        var inputs = new List<Artifact> { Artifact.TextEmbedding };
        inputs.Add(FromStep == plan.StartStep ? Artifact.InputLatent : Artifact.LatentAt(FromStep, Share));
        if (plan.SketchConditioned && FromStep != plan.StartStep)
        {
            inputs.Add(Artifact.InputLatent);
        }

        return inputs;
    }

    public override string Describe()
    {
        var of = Share == Artifact.AllShares ? "" : $" #{Share}";
        return Kind switch
        {
            StageKind.TextEncode => $"T on {Node}",
            StageKind.VaeEncode => $"E on {Node}",
            StageKind.Denoise => $"D[{FromStep},{ToStep}){of} on {Node}",
            StageKind.VaeDecode => $"V{of} on {Node}",
            StageKind.MakeSketch => $"S {SketchSide}px{of} on {Node}",
            StageKind.CompleteSketch => $"C from {SketchSide}px at step {CompletionStartStep}{of} on {Node}",
            _ => Kind.ToString(),
        };
    }

    /// <summary>The compact letter form used in tables, e.g. "D[0,10)".</summary>
    public string Letter() => Kind switch
    {
        StageKind.TextEncode => "T",
        StageKind.VaeEncode => "E",
        StageKind.Denoise => $"D[{FromStep},{ToStep})",
        StageKind.VaeDecode => "V",
        StageKind.MakeSketch => $"S{SketchSide}",
        StageKind.CompleteSketch => $"C[{CompletionStartStep},N)",
        _ => Kind.ToString(),
    };
}
