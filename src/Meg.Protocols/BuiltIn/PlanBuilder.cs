using Meg.Protocols.Plans;

namespace Meg.Protocols.BuiltIn;

/// <summary>Collects steps for the built-in protocols and knows the shared bits of their flows.</summary>
internal sealed class PlanBuilder(PlanParameters parameters, int edgeServers, int images)
{
    private readonly List<PlanStep> _steps = [];

    public static NodeId Ue => NodeId.UserEquipment;

    public int N => parameters.TotalSteps;

    public int Start => parameters.StartStep;

    public bool Conditioned => parameters.SketchConditioned;

    public int Images => images;

    public PlanBuilder Add(PlanStep step)
    {
        _steps.Add(step);
        return this;
    }

    public PlanBuilder Send(NodeId from, NodeId to, params Artifact[] artifacts) => Add(new Transfer(from, to, artifacts));

    /// <summary>Prompt as text and the user's input image, user device to an edge server.</summary>
    public PlanBuilder UploadRequest(NodeId es) =>
        Send(Ue, es, Artifact.Prompt).Send(Ue, es, Artifact.InputImage);

    /// <summary>A latent that the receiver keeps denoising; a sketch-conditioned UNet needs the input
    /// latent beside it unless the receiver already holds it.</summary>
    public PlanBuilder SendSeed(NodeId from, NodeId to, int step, int share, bool receiverHasInputLatent = false)
    {
        var latent = step == Start ? Artifact.InputLatent : Artifact.LatentAt(step, share);
        return Conditioned && step != Start && !receiverHasInputLatent
            ? Send(from, to, latent, Artifact.InputLatent)
            : Send(from, to, latent);
    }

    public PlanBuilder Denoise(NodeId node, int from, int to, int share) =>
        from == to ? this : Add(Stage.Denoise(node, from, to, share));

    /// <summary>Which edge server gets image <paramref name="share"/> in a parallel plan.</summary>
    public NodeId ServerOf(int share) => NodeId.EdgeServer(share % edgeServers + 1);

    public IEnumerable<int> SharesOf(NodeId es) => Enumerable.Range(0, images).Where(s => ServerOf(s) == es);

    public ProtocolPlan Build(string name, string description) => new ProtocolPlan
    {
        Name = name,
        Description = description,
        TotalSteps = parameters.TotalSteps,
        StartStep = parameters.StartStep,
        SketchConditioned = parameters.SketchConditioned,
        ImagesPerRequest = images,
        EdgeServers = edgeServers,
        Steps = _steps.ToArray(),
    }.Validate();
}
