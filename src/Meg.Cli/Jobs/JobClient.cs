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

    /// <summary>The job's status once it has ended, following its event stream (<c>GET /api/jobs/{id}/events</c>):
    /// <paramref name="onProgress"/> hears each state change and each step as it finishes. A stream that breaks off
    /// before the end falls back to <see cref="WaitAsync"/>.</summary>
    public async Task<JsonElement> FollowAsync(Guid id, Action<string>? onProgress = null, CancellationToken cancellationToken = default)
    {
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, $"/api/jobs/{id}/events");
            request.Headers.Accept.ParseAdd("text/event-stream");
            using var response = await SendAsync(() => http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken));
            await EnsureSuccessAsync(response, $"GET /api/jobs/{id}/events", cancellationToken);
            using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(cancellationToken));
            await foreach (var (type, data) in ServerSentEvents.ReadAsync(reader, cancellationToken))
            {
                using var body = JsonDocument.Parse(data);
                var e = body.RootElement;
                switch (type)
                {
                    case "end":
                        return e.Clone();
                    case "state":
                        onProgress?.Invoke($"{e.GetProperty("state").GetString()}, {e.GetProperty("stepsDone").GetInt32()} of {e.GetProperty("stepCount").GetInt32()} steps done");
                        break;
                    case "step":
                        onProgress?.Invoke($"running, {e.GetProperty("stepsDone").GetInt32()} of {e.GetProperty("stepCount").GetInt32()} steps done: {e.GetProperty("step").GetProperty("description").GetString()}");
                        break;
                    case "queue":
                        onProgress?.Invoke($"waiting at {e.GetProperty("queue").GetString()} ({e.GetProperty("depth").GetInt64()} waiting, {e.GetProperty("inProgress").GetInt64()} running)");
                        break;
                }
            }
        }
        catch (Exception e) when (e is IOException or HttpRequestException && !cancellationToken.IsCancellationRequested)
        {
            // The stream broke off: the status request's own wait finds the end.
        }

        return await WaitAsync(id, onProgress, cancellationToken);
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
