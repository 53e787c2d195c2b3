namespace Meg.Cli.Tests;

/// <summary>`meg up` refuses bad settings before it installs or starts anything, naming the option and what it accepts.</summary>
[Collection("console")]
public sealed class UpCommandTests
{
    [Theory]
    [InlineData(new[] { "--max-batch", "0" }, "--max-batch must be from 1 (off) to 256")]
    [InlineData(new[] { "--max-batch", "300" }, "--max-batch must be from 1 (off) to 256")]
    [InlineData(new[] { "--max-batch", "4", "--slots", "2" }, "with batching, keep --slots at 1")]
    [InlineData(new[] { "--batch-wait", "-5" }, "--batch-wait must be from 0 to 10000 ms")]
    [InlineData(new[] { "--rate-limit", "0" }, "--rate-limit must be from 1 to 100000")]
    [InlineData(new[] { "--ue-speed", "2" }, "--ue-speed must be in (0, 1]")]
    [InlineData(new[] { "--trace-sampling", "1.5" }, "--trace-sampling must be from 0 (no traces) to 1")]
    [InlineData(new[] { "--trace-sampling", "-0.1" }, "--trace-sampling must be from 0 (no traces) to 1")]
    public void Bad_settings_exit_with_2_naming_the_option(string[] settings, string says)
    {
        var (code, _, error) = CliRunner.Run(["up", .. settings]);

        Assert.Equal(2, code);
        Assert.Contains(says, error);
    }
}
