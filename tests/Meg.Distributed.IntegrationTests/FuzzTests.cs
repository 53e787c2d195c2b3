using Meg.Chaos.Fuzzing;
using Xunit.Abstractions;

namespace Meg.Distributed.IntegrationTests;

/// <summary>Hundreds of malformed requests through the gateway: no 5xx, each refused with problem details naming what is
/// wrong, and the system still serves a normal job.</summary>
[Trait("Category", "Slow")]
[Collection(DistributedAppCollection.Name)]
public sealed class FuzzTests(DistributedAppFixture app, ITestOutputHelper output)
{
    [Fact]
    public async Task Malformed_requests_all_get_a_clear_4xx_and_a_normal_job_still_completes()
    {
        var cases = MalformedRequests.Generate(220, seed: 7, GatewayJobTests.Sketch);

        var report = await new RequestFuzzer(app.Gateway).RunAsync(cases, MalformedRequests.Valid(GatewayJobTests.Sketch));

        foreach (var failure in report.Violations)
        {
            output.WriteLine($"{failure.Case.Kind}: {failure.Case.What}: {failure.Violation}");
        }

        Assert.Equal(220, report.Results.Count);
        Assert.DoesNotContain(report.Results, r => r.Status >= 500);
        Assert.Empty(report.Violations);
        Assert.True(report.NormalJobState == "completed", report.NormalJobError);
    }
}
