using System.Diagnostics;
using Meg.Distributed.Jobs;
using Meg.Distributed.Telemetry;
using Meg.Tracing;

namespace Meg.Distributed.IntegrationTests;

/// <summary>The services' traces, exported over OTLP as they are to the dashboard: one job is one trace across the gateway,
/// the scheduler, the workers and both edge servers, with a span for every step of its plan.</summary>
[Trait("Category", "Slow")]
[Collection(DistributedAppCollection.Name)]
public sealed class TracingTests(DistributedAppFixture app)
{
    [Fact]
    public async Task A_job_is_one_trace_across_every_service_with_a_span_per_step()
    {
        // The client's trace context, as a caller with its own tracing would send it.
        var trace = ActivityTraceId.CreateRandom().ToHexString();
        var id = await app.SubmitAsync(GatewayJobTests.Request("UIDCG"), $"00-{trace}-{ActivitySpanId.CreateRandom().ToHexString()}-01");
        var status = await app.WaitForEndAsync(id);
        Assert.True(status.State == JobStates.Completed, status.Error);
        var plan = GatewayJobTests.Reference(app.Pipeline, "UIDCG").Plan;

        // Exporters send a batch a second; the last worker's spans end just after the job does.
        string[] services = ["gateway", "scheduler", "ue-proxy", "channel-emulator", "es-1", "es-2"];
        bool StepSpans(IReadOnlyList<TraceSpan> s) => Enumerable.Range(0, plan.Steps.Count).All(i => s.Any(x => x.Tag("meg.step") == $"{i}" && x.Name != "load"));
        var spans = await app.Traces.WaitForAsync(trace, s => services.All(n => s.Any(x => x.Service == n)) && StepSpans(s), TimeSpan.FromSeconds(20));

        Assert.Equal(0, app.Traces.Failures);
        Assert.All(services, service => Assert.Contains(spans, s => s.Service == service));
        var job = id.ToString("N");
        for (var i = 0; i < plan.Steps.Count; i++)
        {
            var step = $"{i}";
            var computed = spans.Where(s => s.Tag("meg.step") == step && s.Tag("meg.part") == MegTracing.Parts.Compute).ToArray();
            if (status.Steps[i].CacheHit)
            {
                Assert.Contains(spans, s => s.Tag("meg.step") == step && s.Name == "text cache");
            }
            else
            {
                var span = Assert.Single(computed);
                Assert.Equal(plan.Steps[i].Describe(), span.Name);
                Assert.Equal(job, span.Tag("meg.job"));
                Assert.Equal(status.Steps[i].Worker == "ue" ? "ue-proxy" : status.Steps[i].Worker, span.Service);
            }
        }

        // The broker carries the trace: es-2's first command hangs under a send from the channel emulator.
        var byId = spans.ToDictionary(s => s.SpanId);
        var es2Load = spans.Where(s => s.Service == "es-2" && s.Name == "load").MinBy(s => s.StartUnixNano)!;
        var ancestors = new List<TraceSpan>();
        for (var parent = es2Load.ParentSpanId; byId.TryGetValue(parent, out var span); parent = span.ParentSpanId)
        {
            ancestors.Add(span);
        }

        Assert.Contains(ancestors, s => s.Service == "channel-emulator" && s.Kind == SpanKind.Producer);
        Assert.Contains(ancestors, s => s.Service == "gateway" && s.Kind == SpanKind.Server);
    }
}
