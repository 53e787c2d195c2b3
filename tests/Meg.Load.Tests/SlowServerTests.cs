using System.Collections.Concurrent;
using Meg.Load.Arrivals;
using Meg.Load.Running;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Meg.Load.Tests;

/// <summary>
/// The generator against a deliberately slow server over real HTTP: a stand-in for the jobs API that runs one job at a
/// time, 100 ms each. Requests still go out on schedule (open loop), and each one's latency counts from when it was
/// meant to go, so the queue that builds up in the server shows in the numbers.
/// </summary>
public sealed class SlowServerTests : IAsyncLifetime
{
    private const int JobMs = 100;
    private readonly SemaphoreSlim _oneAtATime = new(1);
    private readonly ConcurrentDictionary<Guid, DateTimeOffset> _finished = new();
    private WebApplication _server = null!;

    public async Task InitializeAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        _server = builder.Build();
        _server.MapPost("/api/jobs", async (HttpRequest request) =>
        {
            // As the jobs API: an empty request is refused (the generator's warm-up sends one).
            using var reader = new StreamReader(request.Body);
            if (await reader.ReadToEndAsync() == "{}")
            {
                return Results.BadRequest();
            }

            var id = Guid.NewGuid();
            _ = Task.Run(async () =>
            {
                await _oneAtATime.WaitAsync();
                await Task.Delay(JobMs);
                _finished[id] = DateTimeOffset.UtcNow;
                _oneAtATime.Release();
            });
            return Results.Accepted($"/api/jobs/{id}", new { id });
        });
        _server.MapGet("/api/jobs/{id:guid}", async (Guid id, int? waitMs) =>
        {
            var until = DateTimeOffset.UtcNow.AddMilliseconds(waitMs ?? 0);
            while (!_finished.ContainsKey(id) && DateTimeOffset.UtcNow < until)
            {
                await Task.Delay(2);
            }

            return Results.Json(new JobView(id, _finished.ContainsKey(id) ? "completed" : "running", null, null,
                [new StepView("stage", "ES1", "es-1", 0, JobMs)]));
        });
        _server.MapGet("/api/system/queues", () => Results.Json(new QueueSnapshotView(DateTimeOffset.UtcNow, 0, 64, [])));
        await _server.StartAsync();
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task Requests_go_out_on_schedule_and_their_latency_counts_the_queue_in_the_server()
    {
        var address = new Uri(_server.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
        var options = new LoadOptions
        {
            Gateway = address,
            Duration = TimeSpan.FromSeconds(1),
            Warmup = TimeSpan.Zero,
            Drain = TimeSpan.FromSeconds(20),
            EvaluationFolder = Path.Combine(RepositoryLayout.ShippedModel, "eval"),
            OutputFolder = Path.GetTempPath(),
        };
        // 20 requests 50 ms apart at a server that finishes one per 100 ms: the k-th waits for the k before it.
        var planned = Enumerable.Range(0, 20).Select(k => new PlannedRequest(TimeSpan.FromMilliseconds(50 * k), "CIAG", k)).ToList();
        using var client = LoadClient.For(address);
        var runner = new LevelRunner(client, new Workload(options), options, _ => { });

        var result = await runner.RunAsync(new LoadLevel(0, "slow", ProtocolMix.Only("CIAG"), 20, planned), CancellationToken.None);

        var requests = result.Requests.OrderBy(r => r.IntendedMs).ToList();
        Assert.Equal(20, requests.Count(r => r.Outcome == Outcomes.Completed));
        // Open loop: sends keep to the schedule, not to the server's pace. One stall of the shared cores (a collection, a
        // busy neighbour) can delay a few sends; the median must be on time, and the last request out long before a
        // closed loop, which waits for each answer, could send it (after 19 jobs of 100 ms).
        var lateness = requests.Select(r => r.SendLatenessMs).Order().ToList();
        Assert.True(lateness[lateness.Count / 2] < 40, $"median send lateness {lateness[lateness.Count / 2]:0} ms");
        Assert.True(requests[^1].IntendedMs + requests[^1].SendLatenessMs < 19 * JobMs * 0.8, $"the last request went out at {requests[^1].IntendedMs + requests[^1].SendLatenessMs:0} ms");
        // The last is done at about 20 x 100 ms, meant to go at 950 ms: about 1,050 ms, not the 100 ms of its own work.
        var last = requests[^1].EndToEndMs!.Value;
        Assert.InRange(last, 900, 2000);
        Assert.True(requests[^1].EndToEndMs > requests[0].EndToEndMs + 600, "latency does not grow with the server's queue");
    }
}
