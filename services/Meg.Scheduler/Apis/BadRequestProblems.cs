using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Diagnostics;

namespace Meg.Scheduler.Apis;

/// <summary>
/// The framework's own refusals as problem details that name the parameter: a query value of the wrong type
/// (<c>waitMs=abc</c>), a body over the size limit (413). Without it they answer with an empty body. Parameter binding
/// throws them because <see cref="Microsoft.AspNetCore.Routing.RouteHandlerOptions.ThrowOnBadRequest"/> is on.
/// </summary>
internal sealed partial class BadRequestProblems : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext http, Exception exception, CancellationToken cancellationToken)
    {
        if (exception is not BadHttpRequestException bad)
        {
            return false;
        }

        var errors = new Dictionary<string, string[]>();
        string detail;
        if (bad.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            detail = $"The request body is larger than {ProblemResponses.MaxBodyBytes} bytes, the most the API reads.";
            errors["body"] = [detail];
        }
        else if (BindFailure().Match(bad.Message) is { Success: true } failure)
        {
            var (type, name, value) = (failure.Groups["type"].Value, failure.Groups["name"].Value, failure.Groups["value"].Value);
            detail = $"The request's {name} is not valid; see errors by field.";
            errors[name] = [$"{name} must be {Describe(type)}; got '{value}'."];
        }
        else
        {
            detail = bad.Message;
            errors["request"] = [bad.Message];
        }

        await ProblemResponses.WriteAsync(http, bad.StatusCode, "The request is not valid", detail, errors);
        return true;
    }

    private static string Describe(string type) => (type.StartsWith("Nullable<", StringComparison.Ordinal) ? type[9..^1] : type.TrimEnd('?')) switch
    {
        "int" or "long" => "a whole number",
        "double" or "float" => "a number",
        "bool" => "true or false",
        "Guid" => "a job id (a GUID)",
        _ => $"a value of type {type}",
    };

    [GeneratedRegex("""Failed to bind parameter "(?<type>\S+) (?<name>[^"]+)" from "(?<value>.*)"\.""")]
    private static partial Regex BindFailure();
}
