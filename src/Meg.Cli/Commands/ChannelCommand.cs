using System.CommandLine;
using System.Globalization;
using System.Text;
using Meg.Channel.Ber;
using Meg.Channel;
using Meg.Charts;
using Spectre.Console;

namespace Meg.Cli.Commands;

/// <summary>`meg channel ber`: measured bit error rate against theory, as a table, CSV and a log-scale plot.</summary>
public static class ChannelCommand
{
    public static Command Create() => new("channel", "Channel emulator tools.") { CreateBer() };

    private static Command CreateBer()
    {
        var modulation = new Option<string>("--modulation") { Description = "bpsk, qpsk, 16qam or 64qam.", DefaultValueFactory = _ => "qpsk" };
        var snr = new Option<string>("--snr") { Description = "SNR points in dB: start:step:stop (e.g. -2:2:10) or a list.", DefaultValueFactory = _ => "-2:2:10" };
        var axis = new Option<string>("--snr-axis") { Description = "What --snr means: ebn0 (energy per information bit, default) or esn0 (per symbol).", DefaultValueFactory = _ => "ebn0" };
        var coded = new Option<bool>("--coded") { Description = "Rate-1/2 K=7 convolutional code (133, 171 octal) with soft-decision Viterbi." };
        var hard = new Option<bool>("--hard") { Description = "Hard-decision demapping instead of soft (LLR)." };
        var fading = new Option<string>("--fading") { Description = "none, rayleigh or rician.", DefaultValueFactory = _ => "none" };
        var ricianK = new Option<double>("--rician-k") { Description = "Rician K factor (linear).", DefaultValueFactory = _ => 4 };
        var block = new Option<int>("--fading-block") { Description = "Complex symbols per fading block (1 = fast fading).", DefaultValueFactory = _ => 1 };
        var bits = new Option<long>("--bits") { Description = "Information bits per SNR point.", DefaultValueFactory = _ => 1_000_000 };
        var seed = new Option<ulong>("--seed") { Description = "Random seed of every draw.", DefaultValueFactory = _ => 1 };
        var output = new Option<string>("--out") { Description = "Folder for ber.csv and ber.png.", DefaultValueFactory = _ => "results/ber" };
        var command = new Command("ber", "Measure bit error rate vs SNR against the closed forms; writes DIR/ber.csv and DIR/ber.png.")
        {
            modulation, snr, axis, coded, hard, fading, ricianK, block, bits, seed, output,
        };
        command.SetAction(parse => CliErrors.Run(() =>
        {
            var settings = new BerSimulationSettings
            {
                Modulation = ChannelNames.Modulation(parse.GetValue(modulation)!),
                SnrDb = SnrGrid.Parse(parse.GetValue(snr)!),
                SnrAxis = parse.GetValue(axis)!.Trim().ToLowerInvariant() switch
                {
                    "ebn0" => SnrAxis.EbN0,
                    "esn0" => SnrAxis.EsN0,
                    var other => throw new ArgumentException($"--snr-axis '{other}' is not known; use ebn0 or esn0."),
                },
                Coded = parse.GetValue(coded),
                Demapping = parse.GetValue(hard) ? DemappingMode.Hard : DemappingMode.Soft,
                Fading = ChannelNames.Fading(parse.GetValue(fading)!),
                RicianK = parse.GetValue(ricianK),
                FadingBlockLength = parse.GetValue(block),
                Bits = parse.GetValue(bits),
                RandomSeed = parse.GetValue(seed),
            };
            settings.Validate();
            IReadOnlyList<BerPoint> points = [];
            AnsiConsole.Progress().Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn())
                .Start(ctx =>
                {
                    var task = ctx.AddTask($"{settings.SnrDb.Count} SNR points x {settings.Bits:N0} bits", maxValue: 1);
                    points = BerSimulation.Run(settings, new Progress<double>(p => task.Value = p));
                    task.Value = 1;
                });
            var folder = parse.GetValue(output)!;
            Directory.CreateDirectory(folder);
            var title = $"{ChannelNames.DisplayName(settings.Modulation)}{(settings.Coded ? " + K=7 code" : "")}, {(settings.Fading == FadingModel.None ? "AWGN" : settings.Fading.ToString())}";
            Render(points, title, settings.SnrAxis);
            File.WriteAllText(Path.Combine(folder, "ber.csv"), Csv(points));
            Plot(points, title, settings.SnrAxis).Save(Path.Combine(folder, "ber.png"));
            AnsiConsole.MarkupLine($"Wrote [bold]{Markup.Escape(Path.Combine(folder, "ber.csv"))}[/] and [bold]{Markup.Escape(Path.Combine(folder, "ber.png"))}[/]");
        }));
        return command;
    }

    private static void Render(IReadOnlyList<BerPoint> points, string title, SnrAxis axis)
    {
        var table = new Table().Border(TableBorder.Rounded).Title(Markup.Escape(title))
            .AddColumn(new TableColumn(axis == SnrAxis.EbN0 ? "Eb/N0 (dB)" : "Es/N0 (dB)").RightAligned())
            .AddColumn(new TableColumn("BER measured").RightAligned()).AddColumn(new TableColumn("BER theory").RightAligned())
            .AddColumn(new TableColumn("measured / theory").RightAligned()).AddColumn(new TableColumn("bit errors").RightAligned()).AddColumn(new TableColumn("bits").RightAligned());
        foreach (var p in points)
        {
            table.AddRow(
                p.SnrDb.ToString("0.##", CultureInfo.InvariantCulture),
                p.Ber.ToString("0.000e0", CultureInfo.InvariantCulture),
                double.IsNaN(p.BerTheory) ? "-" : p.BerTheory.ToString("0.000e0", CultureInfo.InvariantCulture),
                double.IsNaN(p.BerTheory) || p.BerTheory == 0 ? "-" : (p.Ber / p.BerTheory).ToString("0.000", CultureInfo.InvariantCulture),
                p.BitErrors.ToString("N0", CultureInfo.InvariantCulture),
                p.Bits.ToString("N0", CultureInfo.InvariantCulture));
        }

        AnsiConsole.Write(table);
    }

    private static string Csv(IReadOnlyList<BerPoint> points)
    {
        var sb = new StringBuilder("snr_db,ber,ber_theory,ebn0_db,esn0_db,bit_errors,bits\n");
        foreach (var p in points)
        {
            sb.AppendJoin(',', F(p.SnrDb), F(p.Ber), F(p.BerTheory), F(p.EbN0Db), F(p.EsN0Db), p.BitErrors, p.Bits).Append('\n');
        }

        return sb.ToString();
    }

    private static string F(double v) => double.IsNaN(v) ? "NaN" : v.ToString("R", CultureInfo.InvariantCulture);

    private static LineChart Plot(IReadOnlyList<BerPoint> points, string title, SnrAxis axis)
    {
        var x = points.Select(p => p.SnrDb).ToArray();
        var chart = new LineChart
        {
            Title = $"BER: {title}",
            XLabel = axis == SnrAxis.EbN0 ? "Eb/N0 (dB)" : "Es/N0 (dB)",
            YLabel = "bit error rate",
            LogY = true,
        };
        chart.Add(new Series("measured", x, points.Select(p => p.Ber).ToArray()));
        if (points.Any(p => !double.IsNaN(p.BerTheory)))
        {
            chart.Add(new Series("theory", x, points.Select(p => p.BerTheory).ToArray(), Dashed: true, Markers: false));
        }

        return chart;
    }
}
