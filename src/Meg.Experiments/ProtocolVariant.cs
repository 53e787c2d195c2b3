using Meg.Protocols.Plans;

namespace Meg.Experiments;

/// <summary>A protocol as run in the experiment: its plan and which decoder decodes received seeds.</summary>
public sealed record ProtocolVariant(string Name, ProtocolPlan Plan, bool RobustDecoder)
{
    /// <summary>Whether a seed that crossed the air is decoded directly (where the robust decoder matters).</summary>
    public static bool DecodesReceivedSeed(ProtocolPlan plan) =>
        plan.Transfers.Any(t => t.Artifacts.Any(a => a.Kind == ArtifactKind.Latent && a.Step == plan.TotalSteps)
                                && plan.Stages.Any(s => s.Kind == StageKind.VaeDecode && s.Node == t.To));
}
