using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Meg.Cli.Jobs;

/// <summary>
/// A client of the running system's jobs API (through the gateway): submits a job, waits for its end with the
/// status request's server-side wait (no polling), and fetches the PNG. Bad input comes back as an
/// <see cref="ArgumentException"/> naming the fields, as the API's problem details do.
/// </summary>
public sealed class JobClient(HttpClient http)
{
    /// <summary>How long one status request may wait on the server; a longer job takes several.</summary>
    public const int WaitMs = 30_000;

    public async Task<Guid> SubmitAsync(JsonObject request, CancellationToken cancellationToken = default)
    {
        using var response = await SendAsync(() => http.PostAsJsonAsync("/api/jobs", request, cancellationToken));
        if (response.StatusCode == HttpStatusCode.BadRequest)
        {
            throw new ArgumentException($"the system refused the job: {await ProblemAsync(response, cancellationToken)}");
        }

        await EnsureSuccessAsync(response, "POST /api/jobs", cancellationToken);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync(cancellationToken));
        return body.RootElement.GetProperty("id").GetGuid();
    }

    /// <summary>The job's status once it has completed or failed; <paramref name="onState"/> hears each state seen.</summary>
    public async Task<JsonElement> WaitAsync(Guid id, Action<string>? onState = null, CancellationToken cancellationToken = default)
    {
        while (true)
        {
            using var response = await SendAsync(() => http.GetAsync($"/api/jobs/{id}?waitMs={WaitMs}", cancellationToken));
            await EnsureSuccessAsync(response, $"GET /api/jobs/{id}", cancellationToken);
            using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync(cancellationToken));
            var state = body.RootElement.GetProperty("state").GetString() ?? "";
            onState?.Invoke(state);
            if (state is "completed" or "failed")
            {
                return body.RootElement.Clone();
            }
        }
    }

    public async Task<byte[]> ImageAsync(Guid id, int share = 0, CancellationToken cancellationToken = default)
    {
        using var response = await SendAsync(() => http.GetAsync($"/api/jobs/{id}/image?share={share}", cancellationToken));
        await EnsureSuccessAsync(response, $"GET /api/jobs/{id}/image", cancellationToken);
        return await response.Content.ReadAsByteArrayAsync(cancellationToken);
    }

    private async Task<HttpResponseMessage> SendAsync(Func<Task<HttpResponseMessage>> send)
    {
        try
        {
            return await send();
        }
        catch (HttpRequestException e)
        {
            throw new InvalidOperationException($"no MEG system answers at {http.BaseAddress} ({e.Message}); start one with ./meg up, or pass --gateway.", e);
        }
    }

    private static async Task EnsureSuccessAsync(HttpResponseMessage response, string what, CancellationToken cancellationToken)
    {
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"{what} answered {(int)response.StatusCode} {response.ReasonPhrase}: {await response.Content.ReadAsStringAsync(cancellationToken)}");
        }
    }

    /// <summary>"field: message; field: message" from problem details, else the raw body.</summary>
    private static async Task<string> ProblemAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        try
        {
            using var problem = JsonDocument.Parse(text);
            if (problem.RootElement.TryGetProperty("errors", out var errors) && errors.ValueKind == JsonValueKind.Object)
            {
                return string.Join("; ", errors.EnumerateObject().SelectMany(f => f.Value.EnumerateArray().Select(m => $"{f.Name}: {m.GetString()}")));
            }
        }
        catch (JsonException)
        {
            // Not problem details: show the body as it came.
        }

        return text;
    }
}
