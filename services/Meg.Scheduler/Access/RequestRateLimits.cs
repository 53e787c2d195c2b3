using System.Threading.RateLimiting;
using Meg.Distributed.Access;
using Microsoft.AspNetCore.RateLimiting;

namespace Meg.Scheduler.Access;

/// <summary>
/// A token bucket per API key (<see cref="RateLimitOptions"/>): past it, 429 with Retry-After and problem details.
/// Requests without a known key share one bucket. Health checks and the administrator (who runs load tests and fuzz
/// runs against the system on purpose) are not limited.
/// </summary>
internal static class RequestRateLimits
{
    public static void Configure(RateLimiterOptions limiter, RateLimitOptions limits)
    {
        limiter.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(http =>
            http.Request.Path.StartsWithSegments("/health") || http.Request.Path.StartsWithSegments("/alive") || ApiKeyAuthentication.ClientOf(http).IsAdmin
                ? RateLimitPartition.GetNoLimiter("unlimited")
                : RateLimitPartition.GetTokenBucketLimiter(http.User.Identity?.Name ?? "unknown", _ => new TokenBucketRateLimiterOptions
                {
                    TokenLimit = limits.Burst,
                    TokensPerPeriod = limits.RequestsPerSecond,
                    ReplenishmentPeriod = TimeSpan.FromSeconds(1),
                    QueueLimit = 0,
                    AutoReplenishment = true,
                }));
        limiter.OnRejected = (context, _) =>
        {
            var retryAfter = context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds)) : 1;
            return new ValueTask(ProblemResponses.WriteAsync(context.HttpContext, StatusCodes.Status429TooManyRequests, "Too many requests",
                $"This API key may send {limits.RequestsPerSecond} requests a second ({limits.Burst} at once); try again in {retryAfter} s.",
                retryAfterSeconds: retryAfter));
        };
    }
}
