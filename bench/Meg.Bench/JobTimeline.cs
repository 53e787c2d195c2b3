using System.Diagnostics;
using System.Net.Http.Json;
using System.Net;
using Meg.Distributed.Jobs;
using Meg.Execution.Scheduling;
using Meg.Imaging;

namespace Meg.Bench;

/// <summary>One job through the gateway as a client sees it (POST, then an image request that waits for the end) and
/// where its time went, from the steps' send and finish timestamps (the status, read after the clock stops). All
/// services run on this machine, so their clocks agree with ours.</summary>
/// <remarks>The POST and the image request carry one W3C trace context (sampled), so the services' spans of the job, both
/// requests included, form the trace <see cref="TraceId"/>; <see cref="Posted"/> and <see cref="Answered"/> bound it.</remarks>
internal sealed record JobTimeline(double EndToEndMs, double SubmitMs, double AnswerMs, IReadOnlyList<StepTiming> Steps, RgbImage Image,
    string TraceId, DateTime Posted, DateTime Answered)
{
    public static async Task<JobTimeline> RunAsync(HttpClient gateway, object request, PlanSchedule schedule)
    {
        var trace = ActivityTraceId.CreateRandom();
        HttpRequestMessage Traced(HttpMethod method, string path, HttpContent? content = null)
        {
            var message = new HttpRequestMessage(method, path) { Content = content };
            message.Headers.Add("traceparent", $"00-{trace.ToHexString()}-{ActivitySpanId.CreateRandom().ToHexString()}-01");
            return message;
        }

        var clock = Stopwatch.StartNew();
        var posted = DateTime.UtcNow;
        using var response = await gateway.SendAsync(Traced(HttpMethod.Post, "/api/jobs", JsonContent.Create(request, options: MegJson.Options)));
        if (response.StatusCode != HttpStatusCode.Accepted)
        {
            throw new InvalidOperationException($"POST /api/jobs answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        }

        var id = (await response.Content.ReadFromJsonAsync<AcceptedJob>(MegJson.Options))!.Id;
        // The image request waits on the server until the job ends (no polling, so no polling load on the job).
        using var answer = await gateway.SendAsync(Traced(HttpMethod.Get, $"/api/jobs/{id}/image?waitMs=60000"));
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
        var handBacks = HandBacks(records, schedule, finished);
        var steps = records.Select((s, i) => new StepTiming(s.Description, s.Worker, s.QueueMs, s.ServiceMs, s.ComputeMs, handBacks[i])).ToArray();
        return new JobTimeline(
            endToEnd.TotalMilliseconds,
            (Required(records[0].SentAt) - posted).TotalMilliseconds,
            (answered - finished).TotalMilliseconds,
            steps,
            PngCodec.Decode(image),
            trace.ToHexString(),
            posted,
            answered);
    }

    /// <summary>Per step, the time from its end to the commands it released being sent: a command is released by the last
    /// of its predecessors to finish, and the job's last step hands back to the job marked done. 0 for a step that
    /// released nothing (a step inside a command, or one whose successors waited for something else).</summary>
    private static double[] HandBacks(StepRecord[] records, PlanSchedule schedule, DateTime finished)
    {
        var handBacks = new double[records.Length];
        foreach (var command in schedule.Commands.Where(c => c.Predecessors.Count > 0))
        {
            var releaser = command.Predecessors.Select(p => schedule.Commands[p].LastStep).MaxBy(last => Required(records[last].FinishedAt));
            var gap = (Required(records[command.FirstStep].SentAt) - Required(records[releaser].FinishedAt)).TotalMilliseconds;
            handBacks[releaser] = Math.Max(handBacks[releaser], Math.Max(0, gap));
        }

        var last = records.Select((r, i) => (r, i)).MaxBy(p => Required(p.r.FinishedAt)).i;
        handBacks[last] = Math.Max(0, (finished - Required(records[last].FinishedAt)).TotalMilliseconds);
        return handBacks;
    }

    private static DateTime Required(DateTime? time) =>
        time ?? throw new InvalidOperationException("The system's step records carry no timestamps (an older scheduler?).");

    private sealed record AcceptedJob(Guid Id);
}

/// <summary>One step of a job: waiting for its worker, working, and handing on to the next command.</summary>
internal sealed record StepTiming(string Description, string Worker, double QueueMs, double ServiceMs, double ComputeMs, double HandBackMs);
