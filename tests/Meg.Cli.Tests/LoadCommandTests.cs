namespace Meg.Cli.Tests;

/// <summary>`meg load` refuses bad input before it sends anything, naming the option and what it accepts.</summary>
[Collection("console")]
public sealed class LoadCommandTests
{
    [Theory]
    [InlineData("--gateway", "http://example.com:5080", "loopback")]
    [InlineData("--rates", "1,fast", "--rates must be comma-separated numbers")]
    [InlineData("--slo", "e2e=soon", "--slo takes e2e=<time> and wait=<time>")]
    [InlineData("--arrivals", "bursty", "--arrivals must be poisson, gamma, constant or trace")]
    [InlineData("--protocols", "CIAG,Teleport", "Teleport")]
    [InlineData("--duration", "1", "--duration must be from 5 to 3600")]
    public void Bad_input_exits_with_2_naming_the_option(string option, string value, string says)
    {
        var args = option == "--rates" ? new[] { "load", option, value } : ["load", "--rates", "1", option, value];

        var (code, _, error) = CliRunner.Run(args);

        Assert.Equal(2, code);
        Assert.Contains(says, error);
    }

    [Fact]
    public void Rates_and_loads_together_are_refused()
    {
        var (code, _, error) = CliRunner.Run("load", "--rates", "1", "--loads", "0.5");

        Assert.Equal(2, code);
        Assert.Contains("either --rates", error);
    }

    [Fact]
    public void A_trace_run_without_its_file_is_refused()
    {
        var (code, _, error) = CliRunner.Run("load", "--rates", "1", "--arrivals", "trace");

        Assert.Equal(2, code);
        Assert.Contains("--trace", error);
    }
}
