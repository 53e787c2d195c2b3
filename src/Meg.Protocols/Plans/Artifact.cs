namespace Meg.Protocols.Plans;

/// <summary>
/// One piece of data in a plan. <see cref="Share"/> tells which of the request's images it belongs to
/// (-1 when it serves every image, as the prompt does); <see cref="Step"/> is the denoising step a latent
/// has reached; <see cref="SketchSide"/> is the long side of a sketch in pixels.
/// </summary>
public readonly record struct Artifact(ArtifactKind Kind, int Share = Artifact.AllShares, int Step = 0, int SketchSide = 0)
{
    public const int AllShares = -1;

    public static Artifact Prompt { get; } = new(ArtifactKind.Prompt);

    public static Artifact InputImage { get; } = new(ArtifactKind.InputImage);

    public static Artifact TextEmbedding { get; } = new(ArtifactKind.TextEmbedding);

    public static Artifact InputLatent { get; } = new(ArtifactKind.InputLatent);

    public static Artifact LatentAt(int step, int share) => new(ArtifactKind.Latent, share, step);

    public static Artifact ImageOf(int share) => new(ArtifactKind.Image, share);

    public static Artifact SketchOf(int share, int side) => new(ArtifactKind.Sketch, share, 0, side);

    public override string ToString()
    {
        var of = Share == AllShares ? "" : $" #{Share}";
        return Kind switch
        {
            ArtifactKind.Prompt => "prompt",
            ArtifactKind.InputImage => "input image",
            ArtifactKind.TextEmbedding => "text embedding",
            ArtifactKind.InputLatent => "input latent",
            ArtifactKind.Latent => $"latent at step {Step}{of}",
            ArtifactKind.Image => $"image{of}",
            ArtifactKind.Sketch => $"sketch {SketchSide}px{of}",
            _ => Kind.ToString(),
        };
    }
}
