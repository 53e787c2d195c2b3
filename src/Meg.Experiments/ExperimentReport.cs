using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text;
using Meg.Charts;
using Meg.Experiments.Statistics;
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
        written.AddRange(WriteEqualBandwidth(result, folder));
        written.Add(WriteGrid(result, Path.Combine(folder, "grid.png")));
        return written;
    }

    private static string WriteText(string path, string text)
    {
        File.WriteAllText(path, text);
        return path;
    }

    private static string F(double v) => double.IsNaN(v) ? "NaN" : v.ToString("0.######", CultureInfo.InvariantCulture);

    /// <summary>No timings here: the same options must give a byte-identical file. Intervals are 95% bootstrap over items;
    /// the Fréchet distance appears only from <see cref="ExperimentRunner.FrechetMinimumItems"/> items on.</summary>
    public static string SummaryCsv(ExperimentResult result)
    {
        var frechet = result.Summary.Any(r => double.IsFinite(r.FrechetDistance));
        var sb = new StringBuilder("protocol,variant,snr_db,items,psnr,psnr_lo,psnr_hi,ssim,ssim_lo,ssim_hi,ms_ssim," +
                                   "psnr_vs_centralized,ssim_vs_centralized,ssim_vs_centralized_lo,ssim_vs_centralized_hi," +
                                   "ssim_vs_truth,ssim_vs_truth_lo,ssim_vs_truth_hi,colours_obeyed,colours_obeyed_lo,colours_obeyed_hi,layout_iou,caption_top1," +
                                   (frechet ? "meg_fd," : "") +
                                   "uplink_uses,downlink_uses,backhaul_uses,noisy_uses,channel_uses,channel_uses_vs_centralized,noisy_uses_vs_centralized," +
                                   "bits,decode_failure_rate,outage_rate\n");
        foreach (var r in result.Summary)
        {
            sb.AppendJoin(',', r.Protocol, r.Variant, F(r.SnrDb), r.Items, E(r.Psnr), E(r.Ssim), F(r.MsSsim),
                F(r.PsnrVsCentralized.Mean), E(r.SsimVsCentralized), E(r.SsimVsTruth), E(r.ColoursObeyed), F(r.LayoutIou), F(r.CaptionTop1));
            if (frechet)
            {
                sb.Append(',').Append(F(r.FrechetDistance));
            }

            sb.Append(',').AppendJoin(',', F(r.Uses.Uplink), F(r.Uses.Downlink), F(r.Uses.Backhaul), F(r.Uses.Noisy), F(r.Uses.Total),
                F(r.ChannelUsesRelativeToCentralized), F(r.NoisyUsesRelativeToCentralized), F(r.Bits), F(r.DecodeFailureRate), F(r.OutageRate)).Append('\n');
        }

        return sb.ToString();
    }

    private static string E(ConfidenceInterval e) => $"{F(e.Mean)},{F(e.Low)},{F(e.High)}";

    public static string ItemsCsv(ExperimentResult result)
    {
        var sb = new StringBuilder("protocol,variant,snr_db,item,psnr,ssim,ms_ssim,psnr_vs_centralized,ssim_vs_centralized,psnr_vs_truth,ssim_vs_truth," +
                                   "colours_obeyed,layout_iou,caption_top1,uplink_uses,downlink_uses,backhaul_uses,noisy_uses,channel_uses,bits,bit_errors,decode_failed,outage\n");
        foreach (var r in result.Items)
        {
            sb.AppendJoin(',', r.Protocol, r.Variant, F(r.SnrDb), r.Item, F(r.Psnr), F(r.Ssim), F(r.MsSsim), F(r.Scores.PsnrVsCentralized), F(r.Scores.SsimVsCentralized),
                F(r.Scores.PsnrVsTruth), F(r.Scores.SsimVsTruth), F(r.Scores.ColoursObeyed), F(r.Scores.LayoutIou), F(r.Scores.CaptionTop1),
                F(r.Uses.Uplink), F(r.Uses.Downlink), F(r.Uses.Backhaul), F(r.Uses.Noisy), F(r.Uses.Total), r.Bits,
                r.BitErrors?.ToString(CultureInfo.InvariantCulture) ?? "", r.DecodeFailed ? 1 : 0, r.Outage ? 1 : 0).Append('\n');
        }

        return sb.ToString();
    }

    private static object ToJson(ExperimentResult result)
    {
        var o = result.Options;
        var protocols = result.Summary.Where(r => r.Variant == ProtocolVariant.Standard).Select(r => r.Protocol).Distinct().ToArray();
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
                o.Controls,
                o.ImageBaselines,
                equalBandwidthSnrDb = result.EqualBandwidth.Select(p => p.SnrDb).Distinct(),
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
                noisyLinkUsesRelativeToCentralized = Findings.NoisyUsesRelative(result, p),
                robustGainDbAtMinus5 = Findings.RobustGainDb(result, p, -5),
                robustGainDbAt0 = Findings.RobustGainDb(result, p, 0),
                sketchCarriesSsimAt0 = Findings.SketchGain(result, p, 0),
            }),
            strongestImageBaseline = result.Options.SnrDb.Select(snr => new { snrDb = snr, protocol = Findings.StrongestImageBaseline(result, snr)?.Protocol }),
            realCaptionTop1 = result.RealCaptionTop1,
            noiseless = result.Noiseless,
            equalBandwidth = result.EqualBandwidth,
            summary = result.Summary,
            elapsedSeconds = result.Elapsed.TotalSeconds,
        };
    }

    private static IEnumerable<string> WritePlots(ExperimentResult result, string folder)
    {
        var labels = result.Summary.Select(r => r.Label).Distinct().ToArray();
        // A "+robust" run and a control are dashed in their protocol's colour.
        var colours = labels.Select(ProtocolVariant.FamilyOf).Distinct().Select((b, i) => (b, i)).ToDictionary(x => x.b, x => x.i);
        Series Line(string label, Func<SummaryRow, ConfidenceInterval> y)
        {
            var rows = result.Summary.Where(r => r.Label == label).OrderBy(r => r.SnrDb).ToArray();
            return new Series(label, rows.Select(r => r.SnrDb).ToArray(), rows.Select(r => y(r).Mean).ToArray(), Dashed: ProtocolVariant.FamilyOf(label) != label,
                Band: new SeriesBand(rows.Select(r => y(r).Low).ToArray(), rows.Select(r => y(r).High).ToArray()), Colour: colours[ProtocolVariant.FamilyOf(label)]);
        }

        var channel = result.Options.Channel;
        var links = string.Join("+", result.Options.NoisyLinks.Order().Select(l => l switch { Meg.Protocols.Plans.LinkKind.Uplink => "UL", Meg.Protocols.Plans.LinkKind.Downlink => "DL", _ => "BH" }));
        var how = $"{channel.Mode.ToString().ToLowerInvariant()}, {(channel.Fading == Meg.Channel.FadingModel.None ? "AWGN" : channel.Fading.ToString())} on {links}, {result.ModelName}";
        var ssim = new LineChart { Title = $"Quality vs SNR ({how}); bands: 95% CI", XLabel = "SNR (dB)", YLabel = "SSIM vs the protocol's noiseless output", YRange = (0, 1) };
        var ssimCentral = new LineChart { Title = $"Quality against the centralized noiseless image ({how})", XLabel = "SNR (dB)", YLabel = "SSIM vs Centralized, noiseless", YRange = (0, 1) };
        var ssimTruth = new LineChart { Title = $"Quality against the true scene ({how})", XLabel = "SNR (dB)", YLabel = "SSIM vs the held-out scene", YRange = (0, 1) };
        var psnr = new LineChart { Title = $"PSNR vs SNR ({how})", XLabel = "SNR (dB)", YLabel = "PSNR (dB) vs the protocol's noiseless output" };
        foreach (var label in labels)
        {
            ssim.Add(Line(label, r => r.Ssim));
            ssimCentral.Add(Line(label, r => r.SsimVsCentralized));
            ssimTruth.Add(Line(label, r => r.SsimVsTruth));
            psnr.Add(Line(label, r => r.Psnr));
        }

        var paths = new List<string>
        {
            Save(ssim, Path.Combine(folder, "quality_vs_snr.png")),
            Save(ssimCentral, Path.Combine(folder, "quality_vs_centralized.png")),
            Save(ssimTruth, Path.Combine(folder, "quality_vs_truth.png")),
            Save(psnr, Path.Combine(folder, "psnr_vs_snr.png")),
        };

        // Per link: a reader must see that only the noisy link's uses are what the SNR axis is about.
        var standard = labels.Where(l => ProtocolVariant.FamilyOf(l) == l).ToArray();
        double Uses(string label, Func<LinkUses, double> link) => result.Summary.Where(r => r.Label == label).Average(r => link(r.Uses));
        var bars = new StackedBarChart
        {
            Title = $"Channel uses per image, by link (noisy: {links})",
            YLabel = "complex channel uses",
            Categories = standard,
            Parts =
            [
                ("uplink", standard.Select(l => Uses(l, u => u.Uplink)).ToArray()),
                ("downlink", standard.Select(l => Uses(l, u => u.Downlink)).ToArray()),
                ("backhaul", standard.Select(l => Uses(l, u => u.Backhaul)).ToArray()),
            ],
        };
        bars.Save(Path.Combine(folder, "channel_uses.png"));
        paths.Add(Path.Combine(folder, "channel_uses.png"));
        var noisy = new BarChart
        {
            Title = $"Channel uses per image on the noisy link ({links})",
            YLabel = "complex channel uses",
            LogY = true,
            Bars = standard.Select(l => (l, Uses(l, u => u.Noisy))).ToArray(),
        };
        noisy.Save(Path.Combine(folder, "noisy_link_uses.png"));
        paths.Add(Path.Combine(folder, "noisy_link_uses.png"));

        var robust = labels.Where(p => p.EndsWith(ProtocolVariant.RobustSuffix, StringComparison.Ordinal)).ToArray();
        if (robust.Length > 0)
        {
            var chart = new LineChart { Title = "Noise-robust vs plain VAE decoder", XLabel = "SNR (dB)", YLabel = "PSNR (dB) vs noiseless output" };
            foreach (var r in robust)
            {
                chart.Add(Line(ProtocolVariant.FamilyOf(r), x => x.Psnr));
                chart.Add(Line(r, x => x.Psnr));
            }

            paths.Add(Save(chart, Path.Combine(folder, "robust_decoder.png")));
        }

        return paths;
    }

    /// <summary>equal_bandwidth.csv and a plot per SNR: quality against the noisy link's channel uses, a curve per scheme.</summary>
    private static IEnumerable<string> WriteEqualBandwidth(ExperimentResult result, string folder)
    {
        if (result.EqualBandwidth.Count == 0)
        {
            yield break;
        }

        var sb = new StringBuilder("scheme,setting,snr_db,noisy_uses,ssim_vs_centralized,ssim_vs_centralized_lo,ssim_vs_centralized_hi\n");
        foreach (var p in result.EqualBandwidth)
        {
            sb.AppendJoin(',', p.Scheme, p.Setting, F(p.SnrDb), F(p.NoisyUses), E(p.SsimVsCentralized)).Append('\n');
        }

        yield return WriteText(Path.Combine(folder, "equal_bandwidth.csv"), sb.ToString());
        foreach (var snr in result.EqualBandwidth.Select(p => p.SnrDb).Distinct())
        {
            var chart = new LineChart
            {
                Title = $"Quality against channel uses at {snr:0.#} dB ({result.ModelName}); bands: 95% CI",
                XLabel = "complex channel uses per image on the noisy link",
                YLabel = "SSIM vs Centralized, noiseless",
                YRange = (0, 1),
            };
            foreach (var scheme in result.EqualBandwidth.Where(p => p.SnrDb == snr).GroupBy(p => p.Scheme))
            {
                var points = scheme.OrderBy(p => p.NoisyUses).ToArray();
                chart.Add(new Series(scheme.Key, points.Select(p => p.NoisyUses).ToArray(), points.Select(p => p.SsimVsCentralized.Mean).ToArray(),
                    Band: new SeriesBand(points.Select(p => p.SsimVsCentralized.Low).ToArray(), points.Select(p => p.SsimVsCentralized.High).ToArray())));
            }

            yield return Save(chart, Path.Combine(folder, $"equal_bandwidth_{snr.ToString("0.#", CultureInfo.InvariantCulture)}dB.png"));
        }
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
        var protocols = result.Summary.Select(r => r.Label).Distinct().ToArray();
        var snrs = result.Options.SnrDb;
        const int scale = 2; // 64-pixel images are too small to judge by eye
        RgbImage Big(RgbImage image) => image.Resize(image.Width * scale, image.Height * scale, ResizeMode.Bilinear);
        var rows = protocols.Select(p =>
        {
            var cells = new List<RgbImage?> { Big(example.Sketch), Big(example.Noiseless[p]) };
            cells.AddRange(snrs.Select(s => example.Noisy.TryGetValue((p, s), out var img) ? Big(img) : null));
            return (IReadOnlyList<RgbImage?>)cells;
        }).ToArray();
        var columns = new List<string> { "sketch", "noiseless" };
        columns.AddRange(snrs.Select(s => $"{s:0.#} dB"));
        ImageGrid.WritePng(path, rows, protocols, columns);
        return path;
    }
}
