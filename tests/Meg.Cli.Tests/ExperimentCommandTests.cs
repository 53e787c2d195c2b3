namespace Meg.Cli.Tests;

[Trait("Category", "Slow")]
[Collection("console")]
public sealed class ExperimentCommandTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("meg-experiment-").FullName;

    private (int Code, string Output, string Error) Experiment(string output, params string[] extra) => CliRunner.Run(
    [
        "experiment", "--model", RepositoryLayout.TestFixture("fp32-sketch-conditioned"), "--items", "2", "--steps", "4",
        "--snr", "-10,10", "--protocols", "Centralized,EIUG,CIAG,ESUC", "--sketch-side", "8", "--out", output, .. extra,
    ]);

    [Fact]
    public void The_experiment_writes_csv_json_plots_and_grid_and_the_same_seed_repeats_the_csv()
    {
        var first = Path.Combine(_folder, "a");
        var second = Path.Combine(_folder, "b");

        var (code, output, error) = Experiment(first);
        Experiment(second);

        Assert.True(code == 0, error);
        foreach (var file in new[] { "results.csv", "results_items.csv", "results.json", "quality_vs_snr.png", "quality_vs_truth.png", "channel_uses.png",
                     "noisy_link_uses.png", "robust_decoder.png", "grid.png" })
        {
            Assert.True(File.Exists(Path.Combine(first, file)), file);
        }

        var csv = ResultsCsv.Read(Path.Combine(first, "results.csv"));
        Assert.Equal(["protocol", "variant", "snr_db", "items"], csv.Header[..4]);
        // Centralized and its 3 image baselines, EIUG and EIUG+robust, CIAG, ESUC and its control: 9 runs at 2 SNRs.
        Assert.Equal(9 * 2, csv.Rows.Length);
        Assert.DoesNotContain("meg_fd", csv.Header); // 2 items: far too few for a Fréchet distance
        foreach (var row in csv.Rows)
        {
            // Per-link uses add up to the total; only the downlink is noisy by default.
            Assert.Equal(csv.Number(row, "channel_uses"), csv.Number(row, "uplink_uses") + csv.Number(row, "downlink_uses") + csv.Number(row, "backhaul_uses"), 6);
            Assert.Equal(csv.Number(row, "downlink_uses"), csv.Number(row, "noisy_uses"), 6);
            Assert.InRange(csv.Number(row, "ssim"), csv.Number(row, "ssim_lo"), csv.Number(row, "ssim_hi"));
        }

        Assert.Equal(csv.Number(csv.Row("ESUC", "10"), "channel_uses"), csv.Number(csv.Row("ESUC", "10", "control"), "channel_uses"));
        Assert.Equal(1, csv.Number(csv.Row("Centralized", "10"), "noisy_uses_vs_centralized"), 9);
        Assert.Equal(File.ReadAllText(Path.Combine(first, "results.csv")), File.ReadAllText(Path.Combine(second, "results.csv")));
        Assert.Contains("EIUG+robust", output);
        Assert.Contains("ESUC control", output);
    }

    [Fact]
    public void Quality_rises_with_snr_and_seeds_cost_fewer_channel_uses_than_pixels()
    {
        var folder = Path.Combine(_folder, "c");

        Experiment(folder, "--robust-decoder", "off");

        var csv = ResultsCsv.Read(Path.Combine(folder, "results.csv"));
        foreach (var protocol in new[] { "Centralized", "EIUG", "CIAG" })
        {
            Assert.True(csv.Number(csv.Row(protocol, "10"), "ssim") > csv.Number(csv.Row(protocol, "-10"), "ssim"), $"{protocol}: SSIM should rise with SNR");
        }

        Assert.True(csv.Number(csv.Row("CIAG", "10"), "channel_uses_vs_centralized") < 1);
        Assert.True(csv.Number(csv.Row("EIUG", "10"), "noisy_uses_vs_centralized") < 0.2); // a seed, not an image, goes down
    }

    [Fact]
    public void At_minus_5_and_5_db_the_schemes_are_compared_at_the_channel_uses_they_spend()
    {
        var folder = Path.Combine(_folder, "e");

        var (code, _, error) = CliRunner.Run("experiment", "--model", RepositoryLayout.TestFixture("fp32-sketch-conditioned"), "--items", "2", "--steps", "4",
            "--snr", "-5,5", "--protocols", "Centralized,EIUG", "--robust-decoder", "off", "--out", folder);

        Assert.True(code == 0, error);
        Assert.True(File.Exists(Path.Combine(folder, "equal_bandwidth_-5dB.png")));
        var points = ResultsCsv.Read(Path.Combine(folder, "equal_bandwidth.csv"));
        double Uses(string scheme, string setting) => points.Number(
            points.Rows.Single(r => points.Text(r, "scheme") == scheme && points.Text(r, "setting") == setting && points.Text(r, "snr_db") == "5"), "noisy_uses");
        Assert.Equal(11 * 2, points.Rows.Length); // 4 repetitions, 3 digital settings, Wiener, 3 JPEG qualities; at 2 SNRs
        Assert.Equal(12 * Uses("analog seed (xr)", "x1"), Uses("analog seed (xr)", "x12"));
        var centralized = ResultsCsv.Read(Path.Combine(folder, "results.csv"));
        Assert.Equal(centralized.Number(centralized.Row("Centralized+wiener", "5"), "noisy_uses"), Uses("image + Wiener", "x1"));
        Assert.True(Uses("digital seed", "coded QPSK") > 3.9 * Uses("digital seed", "16-QAM")); // 1 bit per use against 4
    }

    [Fact]
    public void A_digital_run_with_png_images_reports_decode_failures_instead_of_crashing()
    {
        var folder = Path.Combine(_folder, "d");

        var (code, _, error) = Experiment(folder, "--transmission", "digital", "--modulation", "16qam", "--image-form", "png", "--robust-decoder", "off");

        Assert.True(code == 0, error);
        var csv = ResultsCsv.Read(Path.Combine(folder, "results.csv"));
        Assert.Equal(1, csv.Number(csv.Row("Centralized", "-10"), "decode_failure_rate")); // every PNG failed to decode at -10 dB
    }

    [Fact]
    public void An_unknown_protocol_exits_with_2_listing_the_known_ones()
    {
        var (code, _, error) = CliRunner.Run("experiment", "--model", RepositoryLayout.TestFixture("fp32-sketch-conditioned"), "--protocols", "Centralized,NOPE", "--out", _folder);

        Assert.Equal(2, code);
        Assert.Contains("NOPE", error);
        Assert.Contains("UIEG", error);
    }

    [Fact]
    public void Asking_for_more_items_than_the_set_holds_names_the_limit()
    {
        var (code, _, error) = CliRunner.Run("experiment", "--model", RepositoryLayout.TestFixture("fp32-sketch-conditioned"), "--items", "50", "--out", _folder);

        Assert.Equal(2, code);
        Assert.Contains("Items must be from 1 to 3", error);
    }

    public void Dispose() => Directory.Delete(_folder, true);
}

[Trait("Category", "Slow")]
[Collection("console")]
public sealed class MultiEdgeExperimentTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("meg-experiment-k-").FullName;

    [Fact]
    public void A_parallel_multi_server_protocol_is_measured_per_image_against_centralized()
    {
        var (code, _, error) = CliRunner.Run("experiment", "--model", RepositoryLayout.TestFixture("fp32-sketch-conditioned"), "--items", "1", "--steps", "4",
            "--snr", "20", "--protocols", "Centralized,UIDG,UIDCG", "--edge-servers", "2", "--robust-decoder", "off", "--out", _folder);

        Assert.True(code == 0, error);
        var csv = ResultsCsv.Read(Path.Combine(_folder, "results.csv"));
        var relative = (string p) => csv.Number(csv.Row(p, "20"), "channel_uses_vs_centralized");
        Assert.Equal(1.0, relative("Centralized"), 6);
        Assert.InRange(relative("UIDG"), 0.1, 0.99); // one uplinked seed per server, one downlinked image per image
        Assert.InRange(relative("UIDCG"), 0.1, 0.99);
    }

    public void Dispose() => Directory.Delete(_folder, true);
}
