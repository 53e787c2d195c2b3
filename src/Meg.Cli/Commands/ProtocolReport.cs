using Meg.Protocols;
using Meg.Protocols.BuiltIn;
using Meg.Protocols.Costs;
using Meg.Protocols.Plans;
using Spectre.Console;

namespace Meg.Cli.Commands;

/// <summary>The costs of every built-in protocol for one model, as a table or as JSON.</summary>
internal sealed record ProtocolReport(ModelDimensions Model, PlanParameters Parameters, IReadOnlyList<(ProtocolDefinition Definition, PlanCost Cost)> Rows)
{
    public static ProtocolReport For(ModelDimensions model, PlanParameters parameters, AccountingOptions options) =>
        new(model, parameters, ProtocolCatalog.All.Select(p => (p, PlanCostCalculator.Compute(p.Build(parameters), model, options))).ToArray());

    private long CentralizedUses => Rows.First(r => r.Definition is Centralized).Cost.Total.ChannelUses;

    /// <summary>Channel uses per delivered image relative to Centralized (multi-ES plans make several images).</summary>
    private double Relative(PlanCost cost) => (double)cost.Total.ChannelUses / cost.Plan.ImagesPerRequest / CentralizedUses;

    /// <summary>Downlink channel uses per delivered image relative to Centralized's (the case study's noisy link).</summary>
    private double DownlinkRelative(PlanCost cost) =>
        (double)cost.ForLink(LinkKind.Downlink).ChannelUses / cost.Plan.ImagesPerRequest
        / Rows.First(r => r.Definition is Centralized).Cost.ForLink(LinkKind.Downlink).ChannelUses;

    public void Render()
    {
        var m = Model;
        AnsiConsole.MarkupLine($"[bold]{Markup.Escape(m.Name)}[/]: image 3x{m.ImageHeight}x{m.ImageWidth} = {m.ImageValues:N0} values, " +
                               $"latent {m.LatentChannels}x{m.LatentHeight}x{m.LatentWidth} = {m.LatentValues:N0} values " +
                               $"({(double)m.ImageValues / m.LatentValues:0.#}x fewer), N = {Parameters.TotalSteps} steps from step {Parameters.StartStep}, " +
                               $"{(m.SketchConditioned ? "sketch-conditioned UNet" : "SD-style image-to-image")}");
        var table = new Table().Border(TableBorder.Rounded)
            .Title($"{m.Name} ({m.ImageWidth}x{m.ImageHeight}): channel uses and work per protocol")
            .AddColumn("Protocol").AddColumn("Stages per node").AddColumn(new TableColumn("UL uses").RightAligned())
            .AddColumn(new TableColumn("DL uses").RightAligned()).AddColumn(new TableColumn("BH uses").RightAligned())
            .AddColumn(new TableColumn("Total uses").RightAligned()).AddColumn(new TableColumn("Per image vs Centralized").RightAligned())
            .AddColumn(new TableColumn("DL per image vs Centralized").RightAligned())
            .AddColumn(new TableColumn("UNet evals (UE / ES)").RightAligned());
        foreach (var (definition, cost) in Rows)
        {
            var stages = string.Join("\n", cost.Work.Where(w => !w.IsIdle).Select(w => $"{w.Node}: {w.StageSummary}"));
            var es = cost.Work.Where(w => !w.Node.IsUserEquipment).Sum(w => w.UnetEvaluations);
            table.AddRow(
                $"[bold]{definition.Name}[/]",
                Markup.Escape(stages),
                Uses(cost, LinkKind.Uplink), Uses(cost, LinkKind.Downlink), Uses(cost, LinkKind.Backhaul),
                cost.Total.ChannelUses.ToString("N0"),
                $"{Relative(cost):0.000}x",
                $"{DownlinkRelative(cost):0.000}x",
                $"{cost.WorkOf(NodeId.UserEquipment).UnetEvaluations} / {es}");
        }

        AnsiConsole.Write(table);
        AnsiConsole.MarkupLine("[grey]" + Markup.Escape(string.Join("; ", Rows.Select(r => $"{r.Definition.Name} = {r.Definition.Reading}"))) + "[/]");
        AnsiConsole.MarkupLine("[grey]Uses = complex channel uses (two real values each, analog); the prompt is counted digitally. " +
                               "Multi-ES protocols make one image per server.[/]\n");
    }

    private static string Uses(PlanCost cost, LinkKind link)
    {
        var uses = cost.ForLink(link).ChannelUses;
        return uses == 0 ? "-" : uses.ToString("N0");
    }

    public object ToJson() => new
    {
        model = new
        {
            name = Model.Name,
            imageWidth = Model.ImageWidth,
            imageHeight = Model.ImageHeight,
            vaeFactor = Model.VaeFactor,
            latentChannels = Model.LatentChannels,
            imageValues = Model.ImageValues,
            latentValues = Model.LatentValues,
            sketchConditioned = Model.SketchConditioned,
        },
        parameters = new
        {
            totalSteps = Parameters.TotalSteps,
            startStep = Parameters.StartStep,
            edgeServers = Parameters.EdgeServers,
            sketchSide = Parameters.SketchSide,
        },
        protocols = Rows.Select(r => new
        {
            name = r.Definition.Name,
            reading = r.Definition.Reading,
            multiEdge = r.Definition.MultiEdge,
            description = r.Cost.Plan.Description,
            imagesPerRequest = r.Cost.Plan.ImagesPerRequest,
            nodes = r.Cost.Work.Select(w => new
            {
                node = w.Node.ToString(),
                stages = w.Stages.Select(s => s.Letter()).ToArray(),
                textEncoderRuns = w.TextEncoderRuns,
                vaeEncoderRuns = w.VaeEncoderRuns,
                unetEvaluations = w.UnetEvaluations,
                vaeDecoderRuns = w.VaeDecoderRuns,
            }),
            transfers = r.Cost.Transfers.Select(t => new
            {
                from = t.Transfer.From.ToString(),
                to = t.Transfer.To.ToString(),
                link = t.Transfer.Link.ShortName(),
                payload = t.Transfer.Payload.Name(),
                artifacts = t.Transfer.Artifacts.Select(a => a.ToString()).ToArray(),
                values = t.Load.Values,
                bits = t.Load.Bits,
                channelUses = t.Load.ChannelUses,
            }),
            links = Enum.GetValues<LinkKind>().ToDictionary(l => l.ShortName(), l => Load(r.Cost.ForLink(l))),
            total = Load(r.Cost.Total),
            channelUsesPerImageRelativeToCentralized = Relative(r.Cost),
            downlinkUsesPerImageRelativeToCentralized = DownlinkRelative(r.Cost),
        }),
    };

    private static object Load(PayloadLoad load) => new { values = load.Values, bits = load.Bits, channelUses = load.ChannelUses, airtimeSeconds = load.AirtimeSeconds };
}
