using System.Text.Json;

namespace Meg.Cli.Tests;

[Collection("console")]
public sealed class CommandTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("meg-cli-").FullName;

    [Fact]
    public void Protocols_as_json_lists_every_protocol_for_both_models_with_48x_for_stable_diffusion()
    {
        var (code, output, _) = CliRunner.Run("protocols", "--json");

        Assert.Equal(0, code);
        var models = JsonDocument.Parse(output).RootElement;
        Assert.Equal(2, models.GetArrayLength());
        var names = models[0].GetProperty("protocols").EnumerateArray().Select(p => p.GetProperty("name").GetString()!).ToArray();
        Assert.Equal(["Centralized", "UIEG", "EIUG", "CIAG", "ESUC", "UIDG", "DIUG", "DSUC", "UIDCG", "DCSUC"], names);
        var sd = models[1];
        Assert.Equal(48, sd.GetProperty("model").GetProperty("imageValues").GetInt64() / sd.GetProperty("model").GetProperty("latentValues").GetInt64());
        var downlink = (string name) => sd.GetProperty("protocols").EnumerateArray().Single(p => p.GetProperty("name").GetString() == name)
            .GetProperty("links").GetProperty("DL").GetProperty("channelUses").GetInt64();
        Assert.Equal(48, downlink("Centralized") / downlink("EIUG"));
    }

    [Fact]
    public void Protocols_prints_a_table_naming_every_protocol()
    {
        var (code, output, _) = CliRunner.Run("protocols");

        Assert.Equal(0, code);
        Assert.Contains("Stable Diffusion 1.5", output);
        Assert.Contains("DCSUC", output);
    }

    [Fact]
    public void Channel_ber_writes_the_csv_and_the_plot()
    {
        var (code, output, _) = CliRunner.Run("channel", "ber", "--modulation", "qpsk", "--snr", "0:2:4", "--bits", "20000", "--out", _folder);

        Assert.Equal(0, code);
        var lines = File.ReadAllLines(Path.Combine(_folder, "ber.csv"));
        Assert.StartsWith("snr_db,ber,ber_theory", lines[0]);
        Assert.Equal(4, lines.Length);
        Assert.True(new FileInfo(Path.Combine(_folder, "ber.png")).Length > 1000);
        Assert.Contains("BER measured", output);
    }

    [Fact]
    public void An_unknown_modulation_exits_with_2_and_lists_the_accepted_ones()
    {
        var (code, _, error) = CliRunner.Run("channel", "ber", "--modulation", "8psk", "--out", _folder);

        Assert.Equal(2, code);
        Assert.Contains("bpsk, qpsk, 16qam or 64qam", error);
    }

    [Fact]
    public void A_bad_snr_range_exits_with_2_naming_the_form_expected()
    {
        var (code, _, error) = CliRunner.Run("channel", "ber", "--snr", "10:2:0", "--out", _folder);

        Assert.Equal(2, code);
        Assert.Contains("10:2:0", error);
    }

    [Fact]
    public void Generate_writes_a_png_of_the_models_size()
    {
        var path = Path.Combine(_folder, "out.png");

        var (code, _, error) = CliRunner.Run("generate", "--prompt", "a red circle", "--steps", "4", "--model", RepositoryLayout.TestFixture("fp32-sketch-conditioned"), "--out", path);

        Assert.True(code == 0, error);
        Assert.Equal(32, Meg.Imaging.PngCodec.ReadFile(path).Width);
    }

    [Fact]
    public void Generate_with_a_missing_model_folder_exits_with_2_naming_it()
    {
        var (code, _, error) = CliRunner.Run("generate", "--prompt", "x", "--model", Path.Combine(_folder, "nothing"), "--out", Path.Combine(_folder, "o.png"));

        Assert.Equal(2, code);
        Assert.Contains("nothing", error);
    }

    [Fact]
    public void Generate_with_a_sketch_that_is_not_a_png_exits_with_2_and_writes_nothing()
    {
        var bad = Path.Combine(_folder, "bad.png");
        File.WriteAllText(bad, "not an image");
        var output = Path.Combine(_folder, "o.png");

        var (code, _, error) = CliRunner.Run("generate", "--prompt", "x", "--sketch", bad, "--model", RepositoryLayout.TestFixture("fp32-int64"), "--out", output);

        Assert.Equal(2, code);
        Assert.Contains("bad.png", error);
        Assert.False(File.Exists(output));
    }

    [Fact]
    public void Generate_with_an_unknown_provider_exits_with_2_naming_the_option_and_writes_nothing()
    {
        var output = Path.Combine(_folder, "o.png");

        var (code, _, error) = CliRunner.Run("generate", "--prompt", "x", "--provider", "tpu", "--model", RepositoryLayout.TestFixture("fp32-int64"), "--out", output);

        Assert.Equal(2, code);
        Assert.Contains("--provider must be cpu or cuda", error);
        Assert.False(File.Exists(output));
    }

    [Fact]
    public void Generate_asked_for_cuda_without_a_gpu_runtime_says_it_runs_on_cpu_and_why()
    {
        var path = Path.Combine(_folder, "out.png");

        var (code, output, error) = CliRunner.Run("generate", "--prompt", "a red circle", "--steps", "2", "--provider", "cuda", "--model", RepositoryLayout.TestFixture("fp32-int64"), "--out", path);

        Assert.True(code == 0, error);
        Assert.Contains("Model runs on CPU (CUDA could not load:", output);
        Assert.True(File.Exists(path));
    }

    public void Dispose() => Directory.Delete(_folder, true);
}
