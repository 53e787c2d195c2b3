using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Meg.Load.Running;

/// <summary>The system's public API as a load run uses it: submit, wait for the end (long polls, no busy polling), and
/// read the queue snapshot.</summary>
public sealed class LoadClient(HttpClient http) : IDisposable
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static LoadClient For(Uri gateway, string? apiKey = null)
    {
        if (!gateway.IsLoopback)
        {
            throw new ArgumentException($"Load runs target this machine only (loopback); got {gateway}.", nameof(gateway));
        }

        var handler = new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5), MaxConnectionsPerServer = 1024 };
        var http = new HttpClient(handler) { BaseAddress = gateway, Timeout = TimeSpan.FromSeconds(100) };
        if (apiKey is { Length: > 0 })
        {
            http.DefaultRequestHeaders.Add("X-Api-Key", apiKey);
        }

        return new LoadClient(http);
    }

    /// <summary>Submits; the job id, or the HTTP status (and Retry-After, for a 503) with the error's text.</summary>
    public async Task<(Guid? Id, int Status, double? RetryAfterS, string? Error)> SubmitAsync(object request, CancellationToken cancellationToken)
    {
        using var response = await http.PostAsJsonAsync("/api/jobs", request, Json, cancellationToken);
        if (response.StatusCode == HttpStatusCode.Accepted)
        {
            using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync(cancellationToken));
            return (body.RootElement.GetProperty("id").GetGuid(), 202, null, null);
        }

        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        return (null, (int)response.StatusCode, response.Headers.RetryAfter?.Delta?.TotalSeconds, text.Length > 300 ? text[..300] : text);
    }

    /// <summary>Runs the submit path once without creating a job (an empty body, which the API refuses with 400), so the
    /// first request of a level does not pay for connecting and compiling.</summary>
    public async Task WarmUpAsync(CancellationToken cancellationToken)
    {
        using var response = await http.PostAsJsonAsync("/api/jobs", new Dictionary<string, object>(), Json, cancellationToken);
        await response.Content.ReadAsStringAsync(cancellationToken);
    }

    /// <summary>The job once it has ended, or its last state when <paramref name="until"/> passes first.</summary>
    public async Task<JobView?> WaitForEndAsync(Guid id, DateTimeOffset until, CancellationToken cancellationToken)
    {
        JobView? job = null;
        while (DateTimeOffset.UtcNow < until)
        {
            var waitMs = (int)Math.Clamp((until - DateTimeOffset.UtcNow).TotalMilliseconds, 1, 30_000);
            job = await http.GetFromJsonAsync<JobView>($"/api/jobs/{id}?waitMs={waitMs}", Json, cancellationToken);
            if (job is { Ended: true })
            {
                return job;
            }
        }

        return job;
    }

    public Task<QueueSnapshotView?> QueuesAsync(CancellationToken cancellationToken) =>
        http.GetFromJsonAsync<QueueSnapshotView>("/api/system/queues", Json, cancellationToken);

    public void Dispose() => http.Dispose();
}
