using Yarp.ReverseProxy.Forwarder;

namespace Meg.Gateway.Extensions;

/// <summary>
/// A request the scheduler could not take (down, restarting, not answering in time) answers 503 with Retry-After and
/// problem details instead of YARP's bare 502: a client can tell "try again shortly" from a broken request.
/// </summary>
public static class BackendUnavailable
{
    /// <summary>What a client is told to wait: about the time a restarted scheduler takes to be healthy again.</summary>
    public const int RetryAfterSeconds = 5;

    public static async Task AnswerAsync(HttpContext http, Func<Task> next)
    {
        await next();
        if (http.GetForwarderErrorFeature() is not { } failure || http.Response.HasStarted)
        {
            return;
        }

        http.Response.Clear();
        await ProblemResponses.WriteAsync(http, StatusCodes.Status503ServiceUnavailable, "The MEG scheduler is not available",
            $"The gateway could not reach the scheduler ({failure.Error}); nothing was accepted. Try again in {RetryAfterSeconds} s.",
            retryAfterSeconds: RetryAfterSeconds);
    }
}
