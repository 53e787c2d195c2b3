namespace Meg.Gateway.Extensions;

/// <summary>
/// Refuses a request whose declared body is over the limit before reading any of it: 413 with problem details. A client
/// that sends <c>Expect: 100-continue</c> gets the answer instead of uploading the body; without the check, Kestrel
/// would stop the upload midway with a reset connection and no answer the client could read.
/// </summary>
public static class BodySizeLimit
{
    /// <summary>A job request with the largest sketch (8 MiB of PNG in base64) fits.</summary>
    public const long MaxBytes = 12 * 1024 * 1024;

    public static async Task RefuseOversizeAsync(HttpContext http, Func<Task> next)
    {
        if (http.Request.ContentLength is not > MaxBytes)
        {
            await next();
            return;
        }

        http.Response.StatusCode = StatusCodes.Status413PayloadTooLarge;
        var detail = $"The request body is {http.Request.ContentLength} bytes; the API reads at most {MaxBytes}.";
        await http.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext
        {
            HttpContext = http,
            ProblemDetails = new HttpValidationProblemDetails(new Dictionary<string, string[]> { ["body"] = [detail] })
            {
                Status = StatusCodes.Status413PayloadTooLarge,
                Title = "The request is too large",
                Detail = detail,
            },
        });
    }
}
