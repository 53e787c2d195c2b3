using Meg.Distributed.Jobs;
using Meg.Distributed.Storage;
using Meg.Distributed.Telemetry;
using Meg.Imaging;
using Meg.Protocols.Plans;
using Meg.Distributed.Access;
using Meg.Scheduler.Access;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Meg.Scheduler.Apis;

/// <summary>The public jobs API (reached through the gateway at /api/jobs).</summary>
public static class JobsApi
{
    public static IEndpointRouteBuilder MapJobsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/jobs").WithTags("Jobs").RequireAuthorization();
        api.MapPost("/", SubmitAsync)
            .Accepts<JobRequest>("application/json")
            .Produces<JobAccepted>(StatusCodes.Status202Accepted)
            .ProducesValidationProblem()
            .ProducesValidationProblem(StatusCodes.Status422UnprocessableEntity)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable)
            .WithSummary("Submit a generation job")
            .WithDescription($"Validates the request, admits, stores and starts the job. 202 with the job id; 400 with problem details naming the field; 503 with Retry-After when the system is full. " +
                             $"The body is at most {ProblemResponses.MaxBodyBytes} bytes; the prompt at most {JobRequestValidator.MaxPromptLength} characters; the sketch a PNG of at most {JobRequestValidator.MaxSketchBytes} bytes and {JobRequestValidator.MaxSketchSide} pixels a side. " +
                             $"With an {IdempotentRequest.Header} header, the same key and body answer with the same job (header Idempotent-Replayed), another body with 422.");
        api.MapGet("/{id:guid}", GetStatusAsync)
            .WithSummary("A job's state, per-step timings and channel accounting")
            .WithDescription($"With waitMs (1 to {MaxWaitMs}), a job that is still queued or running is answered when it finishes or when the wait is over, whichever is first: no polling needed.");
        api.MapGet("/{id:guid}/image", GetImageAsync)
            .WithSummary("The generated PNG (image ?share=i of a multi-image job)")
            .WithDescription($"With waitMs (1 to {MaxWaitMs}), waits for a queued or running job to end, then answers with its image (or 409 if it failed or is still running when the wait is over): one request from submission to picture.");
        return app;
    }

    // The body is read here rather than bound by the framework, whose JSON errors answer 400 with an empty body; and its
    // bytes are what an Idempotency-Key's body hash is taken of.
    public static async Task<IResult> SubmitAsync(HttpRequest http, JobSubmission submission, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        await http.Body.CopyToAsync(buffer, cancellationToken);
        var body = buffer.GetBuffer().AsMemory(0, (int)buffer.Length);
        var (request, bodyErrors) = JobRequestReader.Read(body.Span);
        if (request is null)
        {
            return TypedResults.ValidationProblem(bodyErrors, detail: "The job request is not valid JSON for a job; see errors by field.");
        }

        IdempotentRequest? idempotency = null;
        if (http.Headers.TryGetValue(IdempotentRequest.Header, out var keys))
        {
            if (keys.Count != 1 || keys[0] is not { Length: > 0 and <= IdempotentRequest.MaxKeyLength } key || key.Any(char.IsControl))
            {
                return TypedResults.ValidationProblem(new Dictionary<string, string[]>
                {
                    [IdempotentRequest.Header] = [$"{IdempotentRequest.Header} must be one value of 1 to {IdempotentRequest.MaxKeyLength} printable characters, e.g. a UUID."],
                });
            }

            idempotency = IdempotentRequest.Of(key, body.Span);
        }

        var client = ApiKeyAuthentication.ClientOf(http.HttpContext);
        var result = await submission.SubmitAsync(request, client == ApiClient.Anyone ? null : client.Name, idempotency, cancellationToken);
        if (result.Refused is { } refused)
        {
            http.HttpContext.Response.Headers.RetryAfter = ((int)refused.RetryAfter.TotalSeconds).ToString(System.Globalization.CultureInfo.InvariantCulture);
            return TypedResults.Problem(refused.Reason, statusCode: StatusCodes.Status503ServiceUnavailable, title: "The system is full");
        }

        if (result.KeyConflict is { } conflict)
        {
            return TypedResults.Problem(new HttpValidationProblemDetails(new Dictionary<string, string[]> { [IdempotentRequest.Header] = [conflict] })
            {
                Status = StatusCodes.Status422UnprocessableEntity,
                Title = "The idempotency key was used for another request",
                Detail = conflict,
            });
        }

        if (result.Id is not { } accepted)
        {
            return TypedResults.ValidationProblem(result.Errors, detail: "The job request is invalid; see errors by field.");
        }

        if (result.Replayed)
        {
            http.HttpContext.Response.Headers["Idempotent-Replayed"] = "true";
        }

        return TypedResults.Accepted($"/api/jobs/{accepted}", new JobAccepted(accepted));
    }

    public const int MaxWaitMs = 60_000;

    public static async Task<Results<Ok<JobStatus>, NotFound, ValidationProblem>> GetStatusAsync(
        Guid id, HttpContext http, JobStore jobs, JobFinishedSignal finished, CancellationToken cancellationToken, int? waitMs = null)
    {
        if (WaitError(waitMs) is { } error)
        {
            return error;
        }

        return await WaitForEndAsync(id, ApiKeyAuthentication.ClientOf(http), jobs, finished, waitMs, cancellationToken) is { } status ? TypedResults.Ok(status) : TypedResults.NotFound();
    }

    private static ValidationProblem? WaitError(int? waitMs) => waitMs is < 0 or > MaxWaitMs
        ? TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["waitMs"] = [$"waitMs must be from 0 to {MaxWaitMs} milliseconds; got {waitMs}."] })
        : null;

    /// <summary>The job's status, once it has ended or <paramref name="waitMs"/> is over (at once without a wait); null
    /// for an unknown job or another client's (the same answer, so ids cannot be probed).</summary>
    private static async Task<JobStatus?> WaitForEndAsync(Guid id, ApiClient client, JobStore jobs, JobFinishedSignal finished, int? waitMs, CancellationToken cancellationToken,
        Action? whenWoken = null)
    {
        // Listening starts before the first read, so a job that ends in between still wakes this request.
        using var watch = waitMs > 0 ? finished.Listen(id) : null;
        JobStatus? status;
        using (MegTracing.Start("read status", MegTracing.Parts.Storage, id))
        {
            status = await jobs.GetStatusAsync(id);
        }

        if (status is null || !client.MaySee(status.Client))
        {
            return null;
        }

        if (watch is null || status.State is JobStates.Completed or JobStates.Failed)
        {
            return status;
        }

        using (MegTracing.Start("wait for the end", MegTracing.Parts.Waiting, id))
        {
            try
            {
                await watch.Finished.WaitAsync(TimeSpan.FromMilliseconds(waitMs!.Value), cancellationToken);
            }
            catch (TimeoutException)
            {
                // The wait is over: answer with the job as it stands.
            }
        }

        whenWoken?.Invoke();
        using var _ = MegTracing.Start("read status", MegTracing.Parts.Storage, id);
        return await jobs.GetStatusAsync(id) ?? status;
    }

    public static async Task<Results<FileContentHttpResult, NotFound, Conflict<string>, ValidationProblem>> GetImageAsync(
        Guid id, HttpContext http, JobStore jobs, ClaimCheckStore claims, JobFinishedSignal finished, CancellationToken cancellationToken, int share = 0, int? waitMs = null)
    {
        if (WaitError(waitMs) is { } error)
        {
            return error;
        }

        // The image is read beside the status (one round trip): at once without a wait, else beside the status read
        // after the wait. Either way it is only served when the status says completed.
        Task<RgbImage?>? stored = null;
        void ReadImage() => stored = claims.TryGetAsync<RgbImage>(id, NodeId.UserEquipment, Artifact.ImageOf(Math.Max(0, share)));
        if (waitMs is not > 0)
        {
            ReadImage();
        }

        if (await WaitForEndAsync(id, ApiKeyAuthentication.ClientOf(http), jobs, finished, waitMs, cancellationToken, waitMs > 0 ? ReadImage : null) is not { } status)
        {
            return TypedResults.NotFound();
        }

        if (share < 0 || share >= Math.Max(1, status.Images))
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["share"] = [$"share must be from 0 to {Math.Max(1, status.Images) - 1}; got {share}."] });
        }

        if (status.State != JobStates.Completed)
        {
            return TypedResults.Conflict(status.State == JobStates.Failed
                ? $"Job {id} failed: {status.Error}"
                : $"Job {id} is {status.State}; the image is there once it is completed.");
        }

        if (stored is null)
        {
            ReadImage(); // the job had ended before the wait began
        }

        RgbImage? image;
        using (MegTracing.Start("read image", MegTracing.Parts.Storage, id))
        {
            image = await stored!;
        }

        if (image is null)
        {
            return TypedResults.NotFound();
        }

        using var encoding = MegTracing.Start("encode png", MegTracing.Parts.Encoding, id);
        return TypedResults.File(PngCodec.EncodeFast(image), "image/png", $"{id:N}-{share}.png");
    }
}

/// <summary>The answer to a submission.</summary>
public sealed record JobAccepted(Guid Id);
