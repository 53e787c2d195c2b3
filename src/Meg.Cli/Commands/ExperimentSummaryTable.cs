using Meg.Experiments;
using Spectre.Console;

namespace Meg.Cli.Commands;

/// <summary>The console summary: SSIM per protocol and SNR, and the case study's headline numbers.</summary>
internal static class ExperimentSummaryTable
{
    public static void Render(ExperimentResult result)
    {
        var protocols = result.Summary.Select(r => r.Protocol).Distinct().ToArray();
        var snrs = result.Options.SnrDb;
        var table = new Table().Border(TableBorder.Rounded).Title("Mean SSIM vs the protocol's noiseless output");
        table.AddColumn("Protocol");
        foreach (var s in snrs)
        {
            table.AddColumn(new TableColumn($"{s:0.#} dB").RightAligned());
        }

        table.AddColumn(new TableColumn("SSIM>=0.95 from").RightAligned());
        table.AddColumn(new TableColumn("Uses vs Central").RightAligned());
        table.AddColumn(new TableColumn("CLIP (clean)").RightAligned());
        foreach (var p in protocols)
        {
            var cells = new List<string> { p };
            cells.AddRange(snrs.Select(s => result.Summary.FirstOrDefault(r => r.Protocol == p && r.SnrDb == s)?.Ssim.ToString("0.000") ?? "-"));
            var lowest = Findings.LowestSnrKeepingQuality(result, p);
            cells.Add(lowest is null ? "never" : $"{lowest:0.#} dB");
            cells.Add($"{Findings.ChannelUsesRelative(result, p):0.000}x");
            var plain = p.EndsWith("+robust", StringComparison.Ordinal) ? p[..^"+robust".Length] : p;
            var clip = result.Noiseless.FirstOrDefault(n => n.Protocol == plain)?.ClipScore;
            cells.Add(clip is { } c && double.IsFinite(c) ? c.ToString("0.000") : "-");
            table.AddRow(cells.Select(Markup.Escape).ToArray());
        }

        AnsiConsole.Write(table);
        foreach (var p in protocols.Where(p => p.EndsWith("+robust", StringComparison.Ordinal)))
        {
            var plain = p[..^"+robust".Length];
            var gains = new[] { -5.0, 0.0 }.Select(s => (s, Findings.RobustGainDb(result, plain, s))).Where(g => g.Item2 is not null).ToArray();
            if (gains.Length > 0)
            {
                AnsiConsole.MarkupLine(Markup.Escape($"Robust decoder gain for {plain}: " + string.Join(", ", gains.Select(g => $"{g.Item2:+0.00;-0.00} dB PSNR at {g.s:0} dB"))));
            }
        }
    }
}
