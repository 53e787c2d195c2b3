namespace Meg.Protocols;

/// <summary>
/// The knobs of the built-in plans. Split points are given as denoising steps done at a node, so they
/// stay meaningful when the number of steps or the strength changes.
/// </summary>
public sealed record PlanParameters
{
    /// <summary>Denoising steps N of a full generation.</summary>
    public int TotalSteps { get; init; } = 20;

    /// <summary>Image-to-image strength in (0, 1]: the first step is N - floor(N * strength), as in diffusers.</summary>
    public double Strength { get; init; } = 1.0;

    /// <summary>Whether the UNet is sketch-conditioned (the input latent travels with every seed that will
    /// be denoised further).</summary>
    public bool SketchConditioned { get; init; } = true;

    /// <summary>UIEG: denoising steps the user device runs before sending the seed (0 = encode only).</summary>
    public int UserStepsBeforeUplink { get; init; }

    /// <summary>CIAG: fraction of the denoising steps done on the UE before the uplink.</summary>
    public double CiagUserShareBefore { get; init; } = 0.25;

    /// <summary>CIAG: fraction of the denoising steps done on the ES before the downlink.</summary>
    public double CiagEdgeShare { get; init; } = 0.5;

    /// <summary>Long side, in pixels, of the sketch that reaches the UE (ESUC, DSUC, DCSUC).</summary>
    public int SketchSide { get; init; } = 16;

    /// <summary>Image-to-image strength the receiver uses to complete a sketch.</summary>
    public double CompletionStrength { get; init; } = 0.6;

    /// <summary>Edge servers K for multi-ES plans.</summary>
    public int EdgeServers { get; init; } = 2;

    /// <summary>Images per request; parallel plans spread them across the K edge servers.
    /// 0 means one per edge server for parallel plans and 1 otherwise.</summary>
    public int ImagesPerRequest { get; init; }

    /// <summary>The knobs for a model and a request, as every entry point sets them: a sketch-conditioned model starts
    /// from pure noise (strength 1), others use <paramref name="strength"/>; sketches a quarter of the long side.</summary>
    public static PlanParameters ForModel(ModelDimensions model, int steps, double strength, int edgeServers) => new PlanParameters
    {
        TotalSteps = steps,
        Strength = model.SketchConditioned ? 1.0 : strength,
        SketchConditioned = model.SketchConditioned,
        SketchSide = Math.Max(2, Math.Max(model.ImageWidth, model.ImageHeight) / 4),
        EdgeServers = edgeServers,
    }.Validate();

    /// <summary>First denoising step implied by <see cref="Strength"/>.</summary>
    public int StartStep => TotalSteps - (int)Math.Floor(TotalSteps * Strength);

    /// <summary>First step of sketch completion implied by <see cref="CompletionStrength"/>.</summary>
    public int CompletionStartStep => TotalSteps - Math.Max(1, (int)Math.Floor(TotalSteps * CompletionStrength));

    /// <summary>Throws <see cref="ArgumentException"/> naming the first field out of range.</summary>
    public PlanParameters Validate()
    {
        Check(TotalSteps is >= 1 and <= 1000, nameof(TotalSteps), "an integer from 1 to 1000", TotalSteps);
        Check(Strength is > 0 and <= 1, nameof(Strength), "a number in (0, 1]", Strength);
        Check(StartStep < TotalSteps, nameof(Strength), "large enough to leave at least one step", Strength);
        Check(UserStepsBeforeUplink >= 0 && StartStep + UserStepsBeforeUplink < TotalSteps,
            nameof(UserStepsBeforeUplink), $"from 0 to {TotalSteps - StartStep - 1}", UserStepsBeforeUplink);
        Check(CiagUserShareBefore is > 0 and < 1, nameof(CiagUserShareBefore), "a fraction in (0, 1)", CiagUserShareBefore);
        Check(CiagEdgeShare is > 0 and < 1 && CiagUserShareBefore + CiagEdgeShare < 1,
            nameof(CiagEdgeShare), "a fraction in (0, 1) that leaves steps for the UE", CiagEdgeShare);
        Check(SketchSide is >= 2 and <= 4096, nameof(SketchSide), "a pixel count from 2 to 4096", SketchSide);
        Check(CompletionStrength is > 0 and <= 1, nameof(CompletionStrength), "a number in (0, 1]", CompletionStrength);
        Check(EdgeServers is >= 1 and <= 64, nameof(EdgeServers), "an integer from 1 to 64", EdgeServers);
        Check(ImagesPerRequest is >= 0 and <= 256, nameof(ImagesPerRequest), "an integer from 0 (automatic) to 256", ImagesPerRequest);
        return this;
    }

    private static void Check(bool ok, string field, string accepted, object value)
    {
        if (!ok)
        {
            throw new ArgumentException($"{field} must be {accepted}; got {value}.", field);
        }
    }
}
