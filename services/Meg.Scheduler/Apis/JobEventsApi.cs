using System.Text;
using System.Text.Json;
using Meg.Distributed.Jobs;
using Meg.Scheduler.Access;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;

namespace Meg.Scheduler.Apis;

/// <summary>
/// <c>GET /api/jobs/{id}/events</c>: a job's progress as server-sent events (<see cref="JobEvents"/>): <c>state</c>,
/// <c>step</c> (each as it finishes), <c>queue</c> (where it waits) and <c>end</c> (the final status), then the stream
/// closes. The key goes in X-Api-Key as for every request: the web page reads the stream with fetch, which can send
/// headers (EventSource cannot), so no key ever travels in a URL.
/// </summary>
public static class JobEventsApi
{
    /// <summary>A comment line this often keeps proxies (YARP's 100 s activity timeout) from closing a quiet stream.</summary>
    private static readonly TimeSpan KeepAlive = TimeSpan.FromSeconds(15);

    public static IEndpointRouteBuilder MapJobEventsApi(this IEndpointRouteBuilder app)
    {
        app.MapGroup("/api/jobs").WithTags("Jobs").RequireAuthorization()
            .MapGet("/{id:guid}/events", StreamAsync)
            .Produces(StatusCodes.Status200OK, contentType: "text/event-stream")
            .Produces(StatusCodes.Status404NotFound)
            .WithSummary("A job's progress as server-sent events: state, step (each as it finishes), queue, end")
            .WithDescription("Events: `state` {state, stepsDone, stepCount}; `step` {step, stepsDone, stepCount, preview} where preview, when set, " +
                             "is the URL (relative to the job's) of the seed, sketch or image that step delivered; `queue` {queue, depth, inProgress, jobsInSystem, maxJobs}; " +
                             "`end` the final status, after which the stream closes. Lines starting with ':' keep the connection alive.");
        return app;
    }

    public static async Task<IResult> StreamAsync(Guid id, HttpContext http, JobStore jobs, JobEvents events, JobStanding standing,
        IOptions<JsonOptions> json, CancellationToken cancellationToken)
    {
        // Another client's job answers as an unknown one does, before anything is streamed.
        if (await jobs.GetStatusAsync(id) is not { } status || !ApiKeyAuthentication.ClientOf(http).MaySee(status.Client))
        {
            return TypedResults.NotFound();
        }

        var response = http.Response;
        response.ContentType = "text/event-stream";
        response.Headers.CacheControl = "no-cache";
        response.Headers["X-Accel-Buffering"] = "no"; // nginx-style proxies: pass each event on at once
        await response.StartAsync(cancellationToken);

        var options = json.Value.SerializerOptions;
        var stream = events.WatchAsync(id, standing.OfAsync, cancellationToken).GetAsyncEnumerator(cancellationToken);
        var next = stream.MoveNextAsync().AsTask();
        try
        {
            while (true)
            {
                if (await Task.WhenAny(next, Task.Delay(KeepAlive, cancellationToken)) != next)
                {
                    await WriteAsync(response, ": keep-alive\n\n", cancellationToken);
                    continue;
                }

                if (!await next)
                {
                    break;
                }

                var e = stream.Current;
                await WriteAsync(response, $"event: {e.Type}\ndata: {JsonSerializer.Serialize(e.Data, e.Data.GetType(), options)}\n\n", cancellationToken);
                next = stream.MoveNextAsync().AsTask();
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The client went away.
        }
        finally
        {
            // An iterator cannot be disposed while a step of it runs: let the one in flight end (it sees the cancellation).
            await next.ContinueWith(_ => { }, TaskScheduler.Default);
            await stream.DisposeAsync();
        }

        return TypedResults.Empty;
    }

    private static async Task WriteAsync(HttpResponse response, string text, CancellationToken cancellationToken)
    {
        await response.Body.WriteAsync(Encoding.UTF8.GetBytes(text), cancellationToken);
        await response.Body.FlushAsync(cancellationToken);
    }
}
