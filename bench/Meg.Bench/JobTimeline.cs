using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using Meg.Components.Jobs;
using Meg.Imaging;

namespace Meg.Bench;

/// <summary>One job through the gateway as a client sees it (POST, then an image request that waits for the end) and
/// where its time went, from the steps' send and finish timestamps (the status, read after the clock stops). All
/// services run on this machine, so their clocks agree with ours.</summary>
internal sealed record JobTimeline(double EndToEndMs, double SubmitMs, double AnswerMs, IReadOnlyList<StepTiming> Steps, RgbImage Image)
{
    public static async Task<JobTimeline> RunAsync(HttpClient gateway, object request)
    {
        var clock = Stopwatch.StartNew();
        var posted = DateTime.UtcNow;
        using var response = await gateway.PostAsJsonAsync("/api/jobs", request, MegJson.Options);
        if (response.StatusCode != HttpStatusCode.Accepted)
        {
            throw new InvalidOperationException($"POST /api/jobs answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        }

        var id = (await response.Content.ReadFromJsonAsync<AcceptedJob>(MegJson.Options))!.Id;
        // The image request waits on the server until the job ends (no polling, so no polling load on the job).
        using var answer = await gateway.GetAsync($"/api/jobs/{id}/image?waitMs=60000");
        var image = await answer.Content.ReadAsByteArrayAsync();
        var endToEnd = clock.Elapsed;
        var answered = DateTime.UtcNow;
        if (answer.StatusCode != HttpStatusCode.OK)
        {
            throw new InvalidOperationException($"GET image of job {id} answered {(int)answer.StatusCode}: {System.Text.Encoding.UTF8.GetString(image)}");
        }

        var status = (await gateway.GetFromJsonAsync<JobStatus>($"/api/jobs/{id}", MegJson.Options))!;

        var records = status.Steps.OrderBy(s => s.Index).ToArray();
        var finished = status.FinishedAt!.Value.UtcDateTime;
        var steps = records.Select((s, i) => new StepTiming(
            s.Description,
            s.Worker,
            s.QueueMs,
            s.ServiceMs,
            s.ComputeMs,
            // Commands on different nodes may overlap (the next step can be out before this one is done): then 0.
            Math.Max(0, ((i + 1 < records.Length ? Required(records[i + 1].SentAt) : finished) - Required(s.FinishedAt)).TotalMilliseconds))).ToArray();
        return new JobTimeline(
            endToEnd.TotalMilliseconds,
            (Required(records[0].SentAt) - posted).TotalMilliseconds,
            (answered - finished).TotalMilliseconds,
            steps,
            PngCodec.Decode(image));
    }

    private static DateTime Required(DateTime? time) =>
        time ?? throw new InvalidOperationException("The system's step records carry no timestamps (an older scheduler?).");

    private sealed record AcceptedJob(Guid Id);
}

/// <summary>One step of a job: waiting for its worker, working, and handing on to the next command.</summary>
internal sealed record StepTiming(string Description, string Worker, double QueueMs, double ServiceMs, double ComputeMs, double HandBackMs);
