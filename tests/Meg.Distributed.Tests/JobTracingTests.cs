using System.Collections.Concurrent;
using System.Diagnostics;
using Meg.Distributed.Jobs;
using Meg.Distributed.Nodes;
using Meg.Distributed.Telemetry;
using Meg.Execution.Scheduling;
using Microsoft.Extensions.DependencyInjection;

namespace Meg.Distributed.Tests;

/// <summary>A job's trace shows where each hop's time went: one trace from the submission through every worker, with a
/// span per stage or transfer (the model or the channel) and the storage around it.</summary>
public sealed class JobTracingTests
{
    private const string ClientName = "Meg.Tests.Client";
    private static readonly ActivitySource Client = new(ClientName);

    [Fact]
    public async Task A_jobs_trace_has_every_step_and_each_commands_storage_under_the_submissions_trace()
    {
        var spans = new ConcurrentQueue<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name is MegTracing.SourceName or "MassTransit" or ClientName,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = spans.Enqueue,
        };
        ActivitySource.AddActivityListener(listener);

        await using var system = await InMemorySystem.StartAsync();
        var model = system.Provider.GetRequiredService<ModelHost>();
        var spec = InMemoryJobTests.Spec(model, "CIAG");
        var plan = JobPlanning.Build(spec);
        var schedule = PlanSchedule.Of(plan);
        ActivityTraceId trace;
        using (var request = Client.StartActivity("POST /api/jobs"))
        {
            trace = request!.TraceId;
            await system.SubmitAsync(spec, InMemoryJobTests.Sketch);
        }

        var status = await system.WaitForEndAsync(spec.Id);
        Assert.Equal(JobStates.Completed, status.State);

        // The last worker records its command, which ends the job, just before its span ends.
        var job = spec.Id.ToString("N");
        Activity[] Mine() => spans.Where(s => s.GetTagItem("meg.job") as string == job).ToArray();
        bool Span(string name, int step) => Mine().Any(s => s.DisplayName == name && s.GetTagItem("meg.step") is int i && i == step);
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (!schedule.Commands.All(c => Span("record", c.FirstStep)) && DateTime.UtcNow < deadline)
        {
            await Task.Delay(20);
        }

        var mine = Mine();
        Assert.All(mine, s => Assert.Equal(trace, s.TraceId));
        Assert.Contains(mine, s => s.DisplayName == "store job" && s.GetTagItem("meg.part") as string == MegTracing.Parts.Storage);
        for (var i = 0; i < plan.Steps.Count; i++)
        {
            // Each step computed once, in a span named as the step; a text encoding another node did is a cache look-up.
            var computed = mine.Where(s => s.GetTagItem("meg.part") as string == MegTracing.Parts.Compute && s.GetTagItem("meg.step") is int k && k == i).ToArray();
            if (status.Steps[i].CacheHit)
            {
                Assert.Empty(computed);
                Assert.True(Span("text cache", i), $"step {i} hit the cache without a look-up span");
            }
            else
            {
                Assert.Equal(plan.Steps[i].Describe(), Assert.Single(computed).DisplayName);
            }
        }

        foreach (var command in schedule.Commands)
        {
            Assert.True(Span("load", command.FirstStep), $"command at step {command.FirstStep} has no load span");
            Assert.True(Span("record", command.FirstStep), $"command at step {command.FirstStep} has no record span");
        }

        // The workers' spans hang under MassTransit's consume spans, which carry the trace from worker to worker.
        var consumers = spans.Where(s => s.Source.Name == "MassTransit" && s.Kind == ActivityKind.Consumer && s.TraceId == trace).Select(s => s.SpanId).ToHashSet();
        Assert.Contains(mine, s => s.DisplayName == "load" && consumers.Contains(s.ParentSpanId));
    }
}
