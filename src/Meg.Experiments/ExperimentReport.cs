using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text;
using Meg.Charts;
using Meg.Imaging;

namespace Meg.Experiments;

/// <summary>Writes an experiment's CSV, JSON, plots and image grid into a folder.</summary>
public static class ExperimentReport
{
    private static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>Writes every output and returns the paths written.</summary>
    public static IReadOnlyList<string> Write(ExperimentResult result, string folder)
    {
        Directory.CreateDirectory(folder);
        var written = new List<string>
        {
            WriteText(Path.Combine(folder, "results.csv"), SummaryCsv(result)),
            WriteText(Path.Combine(folder, "results_items.csv"), ItemsCsv(result)),
            WriteText(Path.Combine(folder, "results.json"), JsonSerializer.Serialize(ToJson(result), Json)),
        };
        written.AddRange(WritePlots(result, folder));
        written.Add(WriteGrid(result, Path.Combine(folder, "grid.png")));
        return written;
    }

    private static string WriteText(string path, string text)
    {
        File.WriteAllText(path, text);
        return path;
    }

    private static string F(double v) => double.IsNaN(v) ? "NaN" : v.ToString("0.######", CultureInfo.InvariantCulture);

    /// <summary>No timings here: the same options must give a byte-identical file.</summary>
    public static string SummaryCsv(ExperimentResult result)
    {
        var sb = new StringBuilder("protocol,snr_db,items,psnr,ssim,ms_ssim,psnr_vs_centralized,ssim_vs_centralized,clip_score,meg_fd,channel_uses,channel_uses_vs_centralized,bits,decode_failure_rate,outage_rate\n");
        foreach (var r in result.Summary)
        {
            sb.AppendJoin(',', r.Protocol, F(r.SnrDb), r.Items, F(r.Psnr), F(r.Ssim), F(r.MsSsim), F(r.PsnrVsCentralized), F(r.SsimVsCentralized),
                F(r.ClipScore), F(r.FrechetDistance), F(r.ChannelUses), F(r.ChannelUsesRelativeToCentralized), F(r.Bits), F(r.DecodeFailureRate), F(r.OutageRate)).Append('\n');
        }

        return sb.ToString();
    }

    public static string ItemsCsv(ExperimentResult result)
    {
        var sb = new StringBuilder("protocol,snr_db,item,psnr,ssim,ms_ssim,psnr_vs_centralized,ssim_vs_centralized,clip_score,channel_uses,uplink_uses,downlink_uses,backhaul_uses,bits,bit_errors,decode_failed,outage\n");
        foreach (var r in result.Items)
        {
            sb.AppendJoin(',', r.Protocol, F(r.SnrDb), r.Item, F(r.Psnr), F(r.Ssim), F(r.MsSsim), F(r.PsnrVsCentralized), F(r.SsimVsCentralized), F(r.ClipScore),
                r.ChannelUses, r.UplinkUses, r.DownlinkUses, r.BackhaulUses, r.Bits, r.BitErrors?.ToString(CultureInfo.InvariantCulture) ?? "", r.DecodeFailed ? 1 : 0, r.Outage ? 1 : 0).Append('\n');
        }

        return sb.ToString();
    }

    private static object ToJson(ExperimentResult result)
    {
        var o = result.Options;
        var protocols = result.Summary.Select(r => r.Protocol).Distinct().ToArray();
        return new
        {
            model = result.ModelName,
            options = new
            {
                protocols = o.Protocols,
                snrDb = o.SnrDb,
                channel = new
                {
                    mode = o.Channel.Mode.ToString(),
                    fading = o.Channel.Fading.ToString(),
                    o.Channel.RicianK,
                    o.Channel.FadingBlockLength,
                    csi = o.Channel.Csi.ToString(),
                    modulation = o.Channel.Modulation.ToString(),
                    o.Channel.Coded,
                    o.Channel.CapacityRate,
                    o.Channel.BandwidthHz,
                },
                noisyLinks = o.NoisyLinks.Select(l => l.ToString()).Order().ToArray(),
                seedForm = o.SeedForm.ToString(),
                imageForm = o.ImageForm.ToString(),
                robustDecoder = o.RobustDecoder.ToString(),
                o.Items,
                o.Steps,
                o.Guidance,
                o.RandomSeed,
                plan = new { o.Plan.UserStepsBeforeUplink, o.Plan.CiagUserShareBefore, o.Plan.CiagEdgeShare, o.Plan.SketchSide, o.Plan.CompletionStrength, o.Plan.EdgeServers },
            },
            findings = protocols.Select(p => new
            {
                protocol = p,
                lowestSnrDbKeepingSsim95 = Findings.LowestSnrKeepingQuality(result, p),
                channelUsesRelativeToCentralized = Findings.ChannelUsesRelative(result, p),
                robustGainDbAtMinus5 = Findings.RobustGainDb(result, p, -5),
                robustGainDbAt0 = Findings.RobustGainDb(result, p, 0),
            }),
            noiseless = result.Noiseless,
            summary = result.Summary,
            elapsedSeconds = result.Elapsed.TotalSeconds,
        };
    }

    private static IEnumerable<string> WritePlots(ExperimentResult result, string folder)
    {
        var protocols = result.Summary.Select(r => r.Protocol).Distinct().ToArray();
        Series Line(string protocol, Func<SummaryRow, double> y)
        {
            var rows = result.Summary.Where(r => r.Protocol == protocol).OrderBy(r => r.SnrDb).ToArray();
            return new Series(protocol, rows.Select(r => r.SnrDb).ToArray(), rows.Select(y).ToArray(), Dashed: protocol.EndsWith("+robust", StringComparison.Ordinal));
        }

        var channel = result.Options.Channel;
        var links = string.Join("+", result.Options.NoisyLinks.Order().Select(l => l switch { Meg.Protocols.Plans.LinkKind.Uplink => "UL", Meg.Protocols.Plans.LinkKind.Downlink => "DL", _ => "BH" }));
        var how = $"{channel.Mode.ToString().ToLowerInvariant()}, {(channel.Fading == Meg.Channel.FadingModel.None ? "AWGN" : channel.Fading.ToString())} on {links}";
        var ssim = new LineChart { Title = $"Quality vs SNR ({how}, {result.ModelName})", XLabel = "SNR (dB)", YLabel = "SSIM vs the protocol's noiseless output", YRange = (0, 1) };
        var ssimCentral = new LineChart { Title = $"Quality vs SNR against the centralized noiseless image ({how})", XLabel = "SNR (dB)", YLabel = "SSIM vs Centralized, noiseless", YRange = (0, 1) };
        var psnr = new LineChart { Title = $"PSNR vs SNR ({how})", XLabel = "SNR (dB)", YLabel = "PSNR (dB) vs the protocol's noiseless output" };
        foreach (var p in protocols)
        {
            ssim.Add(Line(p, r => r.Ssim));
            ssimCentral.Add(Line(p, r => r.SsimVsCentralized));
            psnr.Add(Line(p, r => r.Psnr));
        }

        var paths = new List<string>
        {
            Save(ssim, Path.Combine(folder, "quality_vs_snr.png")),
            Save(ssimCentral, Path.Combine(folder, "quality_vs_centralized.png")),
            Save(psnr, Path.Combine(folder, "psnr_vs_snr.png")),
        };

        var bars = new BarChart
        {
            Title = "Channel uses per request",
            YLabel = "complex channel uses",
            LogY = true,
            Bars = protocols.Where(p => !p.EndsWith("+robust", StringComparison.Ordinal))
                .Select(p => (p, result.Summary.Where(r => r.Protocol == p).Average(r => r.ChannelUses))).ToArray(),
        };
        bars.Save(Path.Combine(folder, "channel_uses.png"));
        paths.Add(Path.Combine(folder, "channel_uses.png"));

        var robust = protocols.Where(p => p.EndsWith("+robust", StringComparison.Ordinal)).ToArray();
        if (robust.Length > 0)
        {
            var chart = new LineChart { Title = "Noise-robust vs plain VAE decoder", XLabel = "SNR (dB)", YLabel = "PSNR (dB) vs noiseless output" };
            foreach (var r in robust)
            {
                chart.Add(Line(r[..^"+robust".Length], x => x.Psnr));
                chart.Add(Line(r, x => x.Psnr));
            }

            paths.Add(Save(chart, Path.Combine(folder, "robust_decoder.png")));
        }

        return paths;
    }

    private static string Save(LineChart chart, string path)
    {
        chart.Save(path);
        return path;
    }

    /// <summary>A row per protocol; columns: the input sketch, the noiseless output, then one per SNR.</summary>
    private static string WriteGrid(ExperimentResult result, string path)
    {
        var example = result.Example;
        var protocols = result.Summary.Select(r => r.Protocol).Distinct().ToArray();
        var snrs = result.Options.SnrDb;
        const int scale = 2; // 64-pixel images are too small to judge by eye
        RgbImage Big(RgbImage image) => image.Resize(image.Width * scale, image.Height * scale, ResizeMode.Bilinear);
        var rows = protocols.Select(p =>
        {
            var plain = p.EndsWith("+robust", StringComparison.Ordinal) ? p[..^"+robust".Length] : p;
            var cells = new List<RgbImage?> { Big(example.Sketch), Big(example.Noiseless[plain]) };
            cells.AddRange(snrs.Select(s => example.Noisy.TryGetValue((p, s), out var img) ? Big(img) : null));
            return (IReadOnlyList<RgbImage?>)cells;
        }).ToArray();
        var columns = new List<string> { "sketch", "noiseless" };
        columns.AddRange(snrs.Select(s => $"{s:0.#} dB"));
        ImageGrid.WritePng(path, rows, protocols, columns);
        return path;
    }
}
