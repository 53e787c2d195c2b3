using System.Net.Http.Json;
using Meg.Diffusion.Pipeline;
using Meg.Distributed.Jobs;
using Meg.Execution;
using Meg.Imaging;
using Meg.Protocols.BuiltIn;
using Meg.Protocols.Costs;
using Meg.Protocols.Plans;
using Meg.Protocols;

namespace Meg.Distributed.IntegrationTests;

/// <summary>Jobs submitted through the gateway, run by the services over RabbitMQ and Redis, against the in-process executor.</summary>
[Trait("Category", "Slow")]
[Collection(DistributedAppCollection.Name)]
public sealed class GatewayJobTests(DistributedAppFixture app)
{
    internal const string Prompt = "a big red star";
    internal const int Steps = 6;

    internal static RgbImage Sketch { get; } =
        RgbImage.Create(32, 32, (x, y) => Math.Abs(x - 16) + Math.Abs(y - 16) == 8 ? new Rgb(0, 0, 0) : new Rgb(255, 255, 255));

    internal static object Request(string protocol, int steps = Steps) => new
    {
        prompt = Prompt,
        sketch = Convert.ToBase64String(PngCodec.Encode(Sketch)),
        protocol,
        channel = "noiseless",
        snrDb = 10,
        steps,
        guidance = 3.0,
        randomSeed = 11,
    };

    internal static ExecutionResult Reference(DiffusionPipeline pipeline, string protocol, int steps = Steps)
    {
        var parameters = PlanParameters.ForModel(PipelineDimensions.Of(pipeline), steps, 1, 2);
        var plan = ProtocolCatalog.Build(protocol, parameters);
        var settings = new GenerationSettings { Steps = steps, Guidance = 3, RandomSeed = 11, Strength = parameters.Strength };
        return new PlanExecutor(pipeline).Run(plan, new GenerationRequest(Prompt, Sketch, settings), TransmissionOptions.Noiseless);
    }

    [Theory]
    [InlineData("Centralized")]
    [InlineData("UIEG")]
    [InlineData("EIUG")]
    [InlineData("CIAG")]
    [InlineData("ESUC")]
    public async Task A_single_edge_job_returns_the_in_process_image_and_the_plans_accounting(string protocol)
    {
        var id = await app.SubmitAsync(Request(protocol));

        var status = await app.WaitForEndAsync(id);

        Assert.True(status.State == JobStates.Completed, status.Error);
        var expected = Reference(app.Pipeline, protocol);
        Assert.Equal(expected.Images[0], await app.ImageAsync(id));
        Assert.Equal(expected.Plan.Steps.Count, status.Steps.Count);
        var predicted = PlanCostCalculator.Compute(expected.Plan, PipelineDimensions.Of(app.Pipeline),
            new AccountingOptions { PromptBytes = Prompt.Length, PromptBitsPerChannelUse = PayloadTransport.PromptBitsPerChannelUse });
        foreach (var link in Enum.GetValues<LinkKind>())
        {
            var measured = status.Accounting.Where(a => a.Link == link.ShortName()).Sum(a => a.ChannelUses);
            Assert.Equal(predicted.ForLink(link).ChannelUses, measured);
            Assert.Equal(expected.ChannelUses(link), measured);
        }

        // The scheduler placed ES1 on one of the two instances; all of ES1's stages ran there.
        var edge = Assert.Single(status.Steps.Where(s => s.Kind == "stage" && s.Node == "ES1").Select(s => s.Worker).Distinct());
        Assert.Matches("^es-[12]$", edge);
        Assert.All(status.Steps.Where(s => s.Kind == "stage" && s.Node == "UE"), s => Assert.Equal("ue", s.Worker));
    }

    [Fact]
    public async Task Waiting_on_the_status_answers_once_the_job_has_finished_without_polling()
    {
        var id = await app.SubmitAsync(Request("Centralized"));

        // One request: the scheduler holds it until the state machine announces the end (or 20 s pass).
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var status = await app.Gateway.GetFromJsonAsync<JobStatus>($"/api/jobs/{id}?waitMs=20000", MegJson.Options);

        Assert.Equal(JobStates.Completed, status?.State);
        // Woken by the announcement, not by the end of the wait (the job itself takes well under a second).
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(15), $"answered after {clock.Elapsed.TotalSeconds:F1} s");
        Assert.NotNull(status?.FinishedAt);
        Assert.Equal(Reference(app.Pipeline, "Centralized").Images[0], await app.ImageAsync(id));
    }

    [Fact]
    public async Task Waiting_on_the_image_answers_with_the_png_once_the_job_has_finished()
    {
        var id = await app.SubmitAsync(Request("EIUG"));

        // One request from submission to picture; after the first command, the workers send each next one themselves.
        var clock = System.Diagnostics.Stopwatch.StartNew();
        using var response = await app.Gateway.GetAsync($"/api/jobs/{id}/image?waitMs=20000");

        Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("image/png", response.Content.Headers.ContentType?.MediaType);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(15), $"answered after {clock.Elapsed.TotalSeconds:F1} s");
        Assert.Equal(Reference(app.Pipeline, "EIUG").Images[0], PngCodec.Decode(await response.Content.ReadAsByteArrayAsync()));
        var status = await app.Gateway.GetFromJsonAsync<JobStatus>($"/api/jobs/{id}", MegJson.Options);
        Assert.Equal(JobStates.Completed, status?.State);
        Assert.Equal(Enumerable.Range(0, status!.StepCount), status.Steps.Select(s => s.Index));
    }
}
