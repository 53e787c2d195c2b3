using Meg.Cli;
using Meg.Imaging;

namespace Meg.Distributed.IntegrationTests;

/// <summary>`meg submit` against the running system: the executor's image on disk, bad input named, no system named.</summary>
[Trait("Category", "Slow")]
[Collection(DistributedAppCollection.Name)]
public sealed class SubmitCommandTests(DistributedAppFixture app) : IDisposable
{
    private readonly DirectoryInfo _folder = Directory.CreateTempSubdirectory("meg-submit-");

    public void Dispose() => _folder.Delete(recursive: true);

    [Fact]
    public async Task Submit_writes_the_in_process_image_of_the_same_request()
    {
        var output = Path.Combine(_folder.FullName, "out.png");

        var (code, error) = await RunAsync(Arguments("Centralized", output));

        Assert.True(code == 0, error);
        Assert.Equal(GatewayJobTests.Reference(app.Pipeline, "Centralized").Images[0], PngCodec.ReadFile(output));
    }

    [Fact]
    public async Task A_job_the_system_refuses_exits_with_2_naming_the_field_and_writes_nothing()
    {
        var output = Path.Combine(_folder.FullName, "refused.png");

        var (code, error) = await RunAsync(Arguments("teleport", output));

        Assert.Equal(2, code);
        Assert.Contains("protocol:", error);
        Assert.False(File.Exists(output));
    }

    [Fact]
    public async Task No_system_at_the_gateway_exits_with_1_saying_how_to_start_one()
    {
        var arguments = Arguments("Centralized", Path.Combine(_folder.FullName, "none.png"));
        arguments[Array.IndexOf(arguments, "--gateway") + 1] = "http://127.0.0.1:1";

        var (code, error) = await RunAsync(arguments);

        Assert.Equal(1, code);
        Assert.Contains("./meg up", error);
    }

    private string[] Arguments(string protocol, string output)
    {
        var sketch = Path.Combine(_folder.FullName, "sketch.png");
        PngCodec.WriteFile(GatewayJobTests.Sketch, sketch);
        return
        [
            "submit", "--prompt", GatewayJobTests.Prompt, "--sketch", sketch, "--protocol", protocol, "--channel", "noiseless",
            "--steps", GatewayJobTests.Steps.ToString(System.Globalization.CultureInfo.InvariantCulture), "--guidance", "3", "--seed", "11",
            "--gateway", app.Gateway.BaseAddress!.ToString(), "--api-key", DistributedAppFixture.AdminKey, "--out", output,
        ];
    }

    /// <summary>Runs the command in-process; its error output is captured (tests of this collection run one at a time).</summary>
    private static async Task<(int Code, string Error)> RunAsync(string[] arguments)
    {
        var original = Console.Error;
        var error = new StringWriter();
        Console.SetError(error);
        try
        {
            var code = await MegCli.CreateRoot().Parse(arguments).InvokeAsync();
            return (code, error.ToString());
        }
        finally
        {
            Console.SetError(original);
        }
    }
}
