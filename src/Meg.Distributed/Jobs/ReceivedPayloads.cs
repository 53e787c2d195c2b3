using Meg.Protocols.Plans;

namespace Meg.Distributed.Jobs;

/// <summary>
/// What a node received over the air that a person can look at: the image, sketch or seed (latent) a transfer carried.
/// The UE's last such payload is MEG's point in one picture: the noisy image Centralized sends down against the decoded
/// noisy seed of a seed protocol, or the received sketch of a sketch protocol.
/// </summary>
public static class ReceivedPayloads
{
    /// <summary>The viewable artifact of <paramref name="transfer"/> for image <paramref name="share"/> (any share when
    /// null); null when it carries nothing to look at (a prompt alone).</summary>
    public static Artifact? ViewableOf(Transfer transfer, int? share = null) =>
        transfer.Artifacts
            .Where(a => a.Kind is ArtifactKind.Latent or ArtifactKind.Sketch or ArtifactKind.Image or ArtifactKind.InputImage)
            .Where(a => share is null || a.Share == share || a.Share == Artifact.AllShares)
            .Select(a => (Artifact?)a)
            .FirstOrDefault();

    /// <summary>The step of the plan's last transfer to the UE that carries something viewable for image <paramref name="share"/>.</summary>
    public static int? LastToUserEquipment(ProtocolPlan plan, int share) =>
        plan.Steps.Select((step, index) => (step, index))
            .Where(p => p.step is Transfer { To.IsUserEquipment: true } t && ViewableOf(t, share) is not null)
            .Select(p => (int?)p.index)
            .LastOrDefault();

    /// <summary>"image", "sketch" or "seed": what a viewable artifact is called on the page and in the API's header.</summary>
    public static string KindName(Artifact artifact) => artifact.Kind switch
    {
        ArtifactKind.Latent => "seed",
        ArtifactKind.Sketch => "sketch",
        _ => "image",
    };
}
