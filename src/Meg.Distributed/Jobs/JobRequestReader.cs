using System.Text.Json;
using System.Text.RegularExpressions;

namespace Meg.Distributed.Jobs;

/// <summary>
/// Reads the body of <c>POST /api/jobs</c>, turning JSON that does not fit <see cref="JobRequest"/> (a wrong type, an
/// unknown field, no body) into an error naming the field and what it accepts, as the validator does for values.
/// </summary>
public static partial class JobRequestReader
{
    public static (JobRequest? Request, Dictionary<string, string[]> Errors) Read(ReadOnlySpan<byte> body)
    {
        try
        {
            var request = JsonSerializer.Deserialize<JobRequest>(body, MegJson.Options);
            return request is null
                ? (null, Error("body", "The body must be a JSON object with at least prompt and sketch; got null."))
                : (request, []);
        }
        catch (JsonException e)
        {
            return (null, Describe(e));
        }
    }

    private static Dictionary<string, string[]> Describe(JsonException e)
    {
        if (UnknownProperty().Match(e.Message) is { Success: true } unknown)
        {
            var name = unknown.Groups[1].Value;
            return Error(name, $"'{name}' is not a field of a job request; the fields are {Fields}.");
        }

        // A value of the wrong type names its field; anything else is broken JSON, which names the body and where it broke.
        var converting = e.Message.StartsWith("The JSON value could not be converted", StringComparison.Ordinal);
        if (!converting && e.LineNumber is { } line && e.BytePositionInLine is { } position)
        {
            return Error("body", $"The body is not valid JSON (line {line + 1}, byte {position + 1}); it must be a JSON object, e.g. {{\"prompt\": \"a red star\", \"sketch\": \"<base64 PNG>\"}}.");
        }

        var field = FieldOf(e.Path);
        if (field is null)
        {
            return Error("body", "The body must be a JSON object, e.g. {\"prompt\": \"a red star\", \"sketch\": \"<base64 PNG>\"}.");
        }

        return Error(field, $"'{field}' must be {Accepted(field)}.");
    }

    /// <summary>The top-level field a JSON path points into ("$.steps" is steps), or null for the body itself.</summary>
    private static string? FieldOf(string? path) =>
        path is { Length: > 2 } && path.StartsWith("$.", StringComparison.Ordinal) ? path[2..].Split('.', '[')[0] : null;

    private static string Accepted(string field) => field switch
    {
        "prompt" or "sketch" or "protocol" or "channel" => "a string",
        "steps" => "a whole number",
        "randomSeed" or "channelRandomSeed" => "a whole number from 0 to 18446744073709551615",
        "snrDb" or "strength" or "guidance" or "maxWaitMs" or "deadlineMs" => "a number",
        _ => $"one of the job request's fields: {Fields}",
    };

    private static readonly string Fields = string.Join(", ", typeof(JobRequest).GetProperties()
        .Select(p => JsonNamingPolicy.CamelCase.ConvertName(p.Name)));

    private static Dictionary<string, string[]> Error(string field, string message) => new() { [field] = [message] };

    [GeneratedRegex("The JSON property '([^']+)' could not be mapped")]
    private static partial Regex UnknownProperty();
}
