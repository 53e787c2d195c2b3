using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Meg.Chaos.Fuzzing;

/// <summary>What one malformed request got back, and what was wrong with the answer (null: nothing).</summary>
public sealed record FuzzResult(FuzzCase Case, int Status, bool ProblemDetails, IReadOnlyList<string> NamedFields, string? Violation);

/// <summary>A fuzz run's answers, and whether the system still served a normal job afterwards.</summary>
public sealed record FuzzReport(IReadOnlyList<FuzzResult> Results, string? NormalJobState, string? NormalJobError)
{
    public IReadOnlyList<FuzzResult> Violations => Results.Where(r => r.Violation is not null).ToArray();

    public bool Passed => Violations.Count == 0 && NormalJobState == "completed";
}

/// <summary>
/// Sends malformed requests (<see cref="MalformedRequests"/>) to a running system, one at a time, and checks each answer:
/// never a 5xx, never accepted, every 4xx with problem details, every 400 naming the field that is wrong. Then submits a
/// normal job, which must complete.
/// </summary>
public sealed class RequestFuzzer(HttpClient http)
{
    public async Task<FuzzReport> RunAsync(IReadOnlyList<FuzzCase> cases, JsonObject normalJob, IProgress<int>? progress = null, CancellationToken cancellationToken = default)
    {
        var results = new List<FuzzResult>(cases.Count);
        foreach (var fuzz in cases)
        {
            results.Add(await SendAsync(fuzz, cancellationToken));
            progress?.Report(results.Count);
        }

        var (state, error) = await RunNormalJobAsync(normalJob, cancellationToken);
        return new FuzzReport(results, state, error);
    }

    private async Task<FuzzResult> SendAsync(FuzzCase fuzz, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(new HttpMethod(fuzz.Method), fuzz.Path);
        if (fuzz.Body is not null)
        {
            request.Content = new ByteArrayContent(fuzz.Body);
            request.Content.Headers.ContentType = fuzz.ContentType is null ? null : MediaTypeHeaderValue.Parse(fuzz.ContentType);
            // A large body waits for the server's go-ahead, as a careful client's does: a refusal comes back unread.
            request.Headers.ExpectContinue = fuzz.Body.Length > 1024 * 1024;
        }

        foreach (var (name, value) in fuzz.Headers ?? new Dictionary<string, string>())
        {
            if (!request.Headers.TryAddWithoutValidation(name, value))
            {
                request.Content?.Headers.TryAddWithoutValidation(name, value);
            }
        }

        HttpResponseMessage response;
        try
        {
            response = await http.SendAsync(request, cancellationToken);
        }
        catch (HttpRequestException e)
        {
            return new FuzzResult(fuzz, 0, false, [], $"no answer: {e.Message}");
        }

        using var _ = response;
        var status = (int)response.StatusCode;
        var problem = response.Content.Headers.ContentType?.MediaType == "application/problem+json";
        var named = new List<string>();
        if (problem)
        {
            try
            {
                using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync(cancellationToken));
                if (body.RootElement.TryGetProperty("errors", out var errors) && errors.ValueKind == JsonValueKind.Object)
                {
                    named.AddRange(errors.EnumerateObject().Select(e => e.Name));
                }
            }
            catch (JsonException)
            {
                problem = false;
            }
        }

        return new FuzzResult(fuzz, status, problem, named, Judge(fuzz, status, problem, named));
    }

    private static string? Judge(FuzzCase fuzz, int status, bool problem, IReadOnlyList<string> named) => status switch
    {
        >= 500 => $"answered {status}",
        < 400 => $"accepted a malformed request ({status})",
        _ when !problem => $"answered {status} without problem details",
        400 when fuzz.Field is { } field && !named.Contains(field) => $"400 does not name '{field}' (named: {string.Join(", ", named)})",
        400 when named.Count == 0 => "400 names no field",
        _ => null,
    };

    /// <summary>A normal job after the malformed ones: its final state ("completed" when the system still works).</summary>
    private async Task<(string? State, string? Error)> RunNormalJobAsync(JsonObject job, CancellationToken cancellationToken)
    {
        using var submitted = await http.PostAsync("/api/jobs", new StringContent(job.ToJsonString(), System.Text.Encoding.UTF8, "application/json"), cancellationToken);
        if (!submitted.IsSuccessStatusCode)
        {
            return (null, $"POST /api/jobs answered {(int)submitted.StatusCode}: {await submitted.Content.ReadAsStringAsync(cancellationToken)}");
        }

        var id = JsonDocument.Parse(await submitted.Content.ReadAsStringAsync(cancellationToken)).RootElement.GetProperty("id").GetString();
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < TimeSpan.FromMinutes(2))
        {
            using var status = await http.GetAsync($"/api/jobs/{id}?waitMs=30000", cancellationToken);
            var body = JsonDocument.Parse(await status.Content.ReadAsStringAsync(cancellationToken)).RootElement;
            var state = body.GetProperty("state").GetString();
            if (state is "completed" or "failed")
            {
                return (state, body.TryGetProperty("error", out var error) ? error.GetString() : null);
            }
        }

        return ("running", "the normal job did not end within 2 minutes");
    }
}
