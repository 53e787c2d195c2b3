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
        http.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
        http.Response.Headers.RetryAfter = RetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var problems = http.RequestServices.GetRequiredService<IProblemDetailsService>();
        await problems.WriteAsync(new ProblemDetailsContext
        {
            HttpContext = http,
            ProblemDetails =
            {
                Status = StatusCodes.Status503ServiceUnavailable,
                Title = "The MEG scheduler is not available",
                Detail = $"The gateway could not reach the scheduler ({failure.Error}); nothing was accepted. Try again in {RetryAfterSeconds} s.",
            },
        });
    }
}
