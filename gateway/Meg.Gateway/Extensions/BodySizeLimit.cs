namespace Meg.Gateway.Extensions;

/// <summary>
/// Refuses a request whose declared body is over <see cref="ProblemResponses.MaxBodyBytes"/> before reading any of it:
/// 413 with problem details. A client that sends <c>Expect: 100-continue</c> gets the answer instead of uploading the
/// body; without the check, Kestrel would stop the upload midway with a reset connection and no answer to read.
/// </summary>
public static class BodySizeLimit
{
    public static Task RefuseOversizeAsync(HttpContext http, Func<Task> next)
    {
        if (http.Request.ContentLength is not > ProblemResponses.MaxBodyBytes)
        {
            return next();
        }

        var detail = $"The request body is {http.Request.ContentLength} bytes; the API reads at most {ProblemResponses.MaxBodyBytes}.";
        return ProblemResponses.WriteAsync(http, StatusCodes.Status413PayloadTooLarge, "The request is too large", detail,
            new Dictionary<string, string[]> { ["body"] = [detail] });
    }
}
