using Meg.Execution;
using Meg.Protocols.Plans;

namespace Meg.Experiments;

/// <summary>
/// A protocol as run in the experiment: its plan, which decoder decodes received seeds, whether it is the control run
/// (the UE completes without the sketch it received) and how its payloads are carried (the image baselines change the
/// form of the centralized image on the air).
/// </summary>
public sealed record ProtocolVariant(string Name, ProtocolPlan Plan, bool RobustDecoder)
{
    /// <summary>The <see cref="Variant"/> of a run as its plan says.</summary>
    public const string Standard = "standard";

    /// <summary>The <see cref="Variant"/> of a sketch protocol's run with the received sketch blanked at the UE.</summary>
    public const string Control = "control";

    /// <summary>Appended to a protocol's name for its run with the noise-robust decoder.</summary>
    public const string RobustSuffix = "+robust";

    public string Variant { get; init; } = Standard;

    /// <summary>The name in tables, plots and the grid: the protocol, with " control" for its control run.</summary>
    public string Label => LabelOf(Name, Variant);

    public static string LabelOf(string protocol, string variant) => variant == Standard ? protocol : $"{protocol} {variant}";

    /// <summary>The protocol a label's line belongs with: a "+robust" run or a control is drawn in its protocol's colour.</summary>
    public static string FamilyOf(string label) =>
        label.EndsWith(RobustSuffix, StringComparison.Ordinal) ? label[..^RobustSuffix.Length]
        : label.EndsWith(" " + Control, StringComparison.Ordinal) ? label[..^(Control.Length + 1)]
        : label;

    /// <summary>Turns the sweep's transmission options into this variant's (by default unchanged).</summary>
    public Func<TransmissionOptions, TransmissionOptions> Carriage { get; init; } = options => options;

    /// <summary>Whether a seed that crossed the air is decoded directly (where the robust decoder matters).</summary>
    public static bool DecodesReceivedSeed(ProtocolPlan plan) =>
        plan.Transfers.Any(t => t.Artifacts.Any(a => a.Kind == ArtifactKind.Latent && a.Step == plan.TotalSteps)
                                && plan.Stages.Any(s => s.Kind == StageKind.VaeDecode && s.Node == t.To));

    /// <summary>Whether the UE completes a sketch it received (the protocols that get a control run).</summary>
    public static bool UeCompletesReceivedSketch(ProtocolPlan plan) =>
        plan.Transfers.Any(t => t.To.IsUserEquipment && t.Artifacts.Any(a => a.Kind == ArtifactKind.Sketch));
}
