using MassTransit;
using Microsoft.AspNetCore.Diagnostics;
using StackExchange.Redis;

namespace Meg.Scheduler.Apis;

/// <summary>
/// While Redis or RabbitMQ is away, the API answers 503 with Retry-After at once instead of a 500 after the client
/// library's timeouts: a request is checked against the Redis connection (and a submission against the bus) before
/// anything is stored or sent, and a Redis or broker failure during a request answers the same way. Nothing of such a
/// request is accepted, so the client may simply retry.
/// </summary>
internal sealed class UnavailableDependencies : IExceptionHandler
{
    /// <summary>What a client is told to wait: a restarted Redis or broker is back within seconds.</summary>
    public const int RetryAfterSeconds = 2;

    /// <summary>Middleware for /api: refuses at once what cannot be served now.</summary>
    public static Task CheckAsync(HttpContext http, Func<Task> next)
    {
        if (!http.Request.Path.StartsWithSegments("/api"))
        {
            return next();
        }

        if (http.RequestServices.GetRequiredService<IConnectionMultiplexer>() is { IsConnected: false })
        {
            return RefuseAsync(http, "Redis, where jobs are kept, is not reachable");
        }

        var submitting = HttpMethods.IsPost(http.Request.Method) && http.Request.Path.StartsWithSegments("/api/jobs");
        if (submitting && http.RequestServices.GetRequiredService<IBusControl>().CheckHealth().Status != BusHealthStatus.Healthy)
        {
            return RefuseAsync(http, "RabbitMQ, which carries the jobs' commands, is not reachable");
        }

        return next();
    }

    public async ValueTask<bool> TryHandleAsync(HttpContext http, Exception exception, CancellationToken cancellationToken)
    {
        var what = exception switch
        {
            RedisConnectionException or RedisTimeoutException => "Redis, where jobs are kept, did not answer",
            RabbitMqConnectionException or MassTransit.RequestTimeoutException => "RabbitMQ, which carries the jobs' commands, did not answer",
            _ => null,
        };
        if (what is null || http.Response.HasStarted)
        {
            return false;
        }

        await RefuseAsync(http, what);
        return true;
    }

    private static Task RefuseAsync(HttpContext http, string what) =>
        ProblemResponses.WriteAsync(http, StatusCodes.Status503ServiceUnavailable, "The system cannot take requests right now",
            $"{what}; nothing of this request was accepted. Try again in {RetryAfterSeconds} s.", retryAfterSeconds: RetryAfterSeconds);
}
