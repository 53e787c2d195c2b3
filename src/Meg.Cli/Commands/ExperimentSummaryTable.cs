using Meg.Experiments;
using Spectre.Console;

namespace Meg.Cli.Commands;

/// <summary>The console summary: SSIM against Centralized's noiseless image per protocol and SNR (with the 95% interval's
/// half-width), the channel uses relative to Centralized on the noisy link(s) and in total, and the headline findings.</summary>
internal static class ExperimentSummaryTable
{
    public static void Render(ExperimentResult result)
    {
        var labels = result.Summary.Select(r => r.Label).Distinct().ToArray();
        var snrs = result.Options.SnrDb;
        var table = new Table().Border(TableBorder.Rounded)
            .Title($"Mean SSIM vs Centralized's noiseless image ± 95% CI half-width, {result.Summary.FirstOrDefault()?.Items ?? 0} items");
        table.AddColumn("Protocol");
        foreach (var s in snrs)
        {
            table.AddColumn(new TableColumn($"{s:0.#} dB").RightAligned());
        }

        table.AddColumn(new TableColumn("Noisy-link uses vs Central").RightAligned());
        table.AddColumn(new TableColumn("All uses vs Central").RightAligned());
        foreach (var label in labels)
        {
            var rows = result.Summary.Where(r => r.Label == label).ToArray();
            var cells = new List<string> { label };
            cells.AddRange(snrs.Select(s => rows.FirstOrDefault(r => r.SnrDb == s) is { } r
                ? $"{r.SsimVsCentralized.Mean:0.000}±{r.SsimVsCentralized.Width / 2:0.000}"
                : "-"));
            cells.Add($"{rows.Average(r => r.NoisyUsesRelativeToCentralized):0.000}x");
            cells.Add($"{rows.Average(r => r.ChannelUsesRelativeToCentralized):0.000}x");
            table.AddRow(cells.Select(Markup.Escape).ToArray());
        }

        AnsiConsole.Write(table);
        foreach (var protocol in result.Summary.Where(r => r.Variant == ProtocolVariant.Control).Select(r => r.Protocol).Distinct())
        {
            var gains = snrs.Where(s => s is -5 or 0 or 10).Select(s => (s, Findings.SketchGain(result, protocol, s))).Where(g => g.Item2 is not null).ToArray();
            AnsiConsole.MarkupLine(Markup.Escape($"The received sketch carries for {protocol}: " +
                                                 string.Join(", ", gains.Select(g => $"{g.Item2:+0.000;-0.000} SSIM at {g.s:0} dB")) + " (over its control)"));
        }

        foreach (var label in labels.Where(p => p.EndsWith(ProtocolVariant.RobustSuffix, StringComparison.Ordinal)))
        {
            var plain = ProtocolVariant.FamilyOf(label);
            var gains = new[] { -5.0, 0.0 }.Select(s => (s, Findings.RobustGainDb(result, plain, s))).Where(g => g.Item2 is not null).ToArray();
            if (gains.Length > 0)
            {
                AnsiConsole.MarkupLine(Markup.Escape($"Robust decoder gain for {plain}: " + string.Join(", ", gains.Select(g => $"{g.Item2:+0.00;-0.00} dB PSNR at {g.s:0} dB"))));
            }
        }

        var strongest = snrs.Select(s => Findings.StrongestImageBaseline(result, s)).OfType<SummaryRow>().ToArray();
        if (strongest.Length > 0)
        {
            AnsiConsole.MarkupLine(Markup.Escape("Strongest image baseline: " + string.Join(", ", strongest.Select(r => $"{r.Protocol} at {r.SnrDb:0.#} dB"))));
        }

        if (double.IsFinite(result.RealCaptionTop1))
        {
            AnsiConsole.MarkupLine(Markup.Escape($"Caption rank: the true caption ranks first for {result.RealCaptionTop1:P0} of the real scenes (the reference for caption_top1)."));
        }
    }
}
