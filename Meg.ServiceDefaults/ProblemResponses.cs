using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Microsoft.Extensions.Hosting;

/// <summary>
/// How a MEG service answers a request it refuses outside an endpoint (middleware, authentication, the rate limiter,
/// the gateway): problem details with the status, an optional Retry-After, and the fields at fault, as the endpoints'
/// own validation problems have them. Also the request body limit the gateway and the scheduler share.
/// </summary>
public static class ProblemResponses
{
    /// <summary>The largest request body the API reads: a job request with the largest sketch (8 MiB of PNG in base64).</summary>
    public const long MaxBodyBytes = 12 * 1024 * 1024;

    public static async Task WriteAsync(HttpContext http, int status, string title, string detail,
        IDictionary<string, string[]>? errors = null, int? retryAfterSeconds = null)
    {
        http.Response.StatusCode = status;
        if (retryAfterSeconds is { } seconds)
        {
            http.Response.Headers.RetryAfter = seconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        var problem = errors is null ? new Microsoft.AspNetCore.Mvc.ProblemDetails() : new HttpValidationProblemDetails(errors);
        (problem.Status, problem.Title, problem.Detail) = (status, title, detail);
        await http.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext { HttpContext = http, ProblemDetails = problem });
    }
}
