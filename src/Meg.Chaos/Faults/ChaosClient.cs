using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Meg.Chaos.Faults;

/// <summary>
/// A patient client of the jobs API, as a well-behaved user's would be while things fail: it retries a submission
/// (with the same Idempotency-Key, so a lost answer never makes a second job) after every 503 or 429 as Retry-After
/// says, and keeps asking for a job's end through errors; and it counts every answer it got on the way.
/// </summary>
public sealed class ChaosClient(HttpClient http)
{
    private int _unavailable;
    private int _unavailableWithRetryAfter;
    private int _otherServerErrors;
    private int _noAnswer;

    /// <summary>503 answers, and how many of them said when to come back.</summary>
    public (int All, int WithRetryAfter) Unavailable => (_unavailable, _unavailableWithRetryAfter);

    /// <summary>5xx answers other than 503 (a 502 from the gateway, a 500).</summary>
    public int OtherServerErrors => _otherServerErrors;

    /// <summary>Requests that got no answer at all (connection refused or reset).</summary>
    public int NoAnswer => _noAnswer;

    /// <summary>Submits <paramref name="job"/> until accepted or <paramref name="patience"/> is over: its id, or null.</summary>
    public async Task<Guid?> SubmitAsync(JsonObject job, TimeSpan patience, CancellationToken cancellationToken)
    {
        var key = Guid.NewGuid().ToString();
        var until = DateTime.UtcNow + patience;
        while (DateTime.UtcNow < until)
        {
            using var post = new HttpRequestMessage(HttpMethod.Post, "/api/jobs") { Content = JsonContent.Create(job) };
            post.Headers.Add("Idempotency-Key", key);
            var (response, wait) = await SendAsync(post, cancellationToken);
            using (response)
            {
                if (response?.StatusCode == HttpStatusCode.Accepted)
                {
                    return (await response.Content.ReadFromJsonAsync<JsonElement>(cancellationToken)).GetProperty("id").GetGuid();
                }

                if (response is { StatusCode: var status } && (int)status is >= 400 and < 500 and not 429)
                {
                    throw new InvalidOperationException($"POST /api/jobs answered {(int)status}: {await response.Content.ReadAsStringAsync(cancellationToken)}");
                }
            }

            await Task.Delay(wait, cancellationToken);
        }

        return null;
    }

    /// <summary>The job's final state and error; "lost" when the system no longer knows it, "stuck" when it has not
    /// ended by <paramref name="until"/>.</summary>
    public async Task<(string State, string? Error)> WaitForEndAsync(Guid id, DateTime until, CancellationToken cancellationToken)
    {
        while (DateTime.UtcNow < until)
        {
            var waitMs = (int)Math.Clamp((until - DateTime.UtcNow).TotalMilliseconds, 1, 20_000);
            var (response, wait) = await SendAsync(new HttpRequestMessage(HttpMethod.Get, $"/api/jobs/{id}?waitMs={waitMs}"), cancellationToken);
            using (response)
            {
                if (response?.StatusCode == HttpStatusCode.NotFound)
                {
                    return ("lost", "the system answers 404 for a job it accepted");
                }

                if (response?.StatusCode == HttpStatusCode.OK)
                {
                    var status = await response.Content.ReadFromJsonAsync<JsonElement>(cancellationToken);
                    var state = status.GetProperty("state").GetString()!;
                    if (state is "completed" or "failed")
                    {
                        return (state, status.TryGetProperty("error", out var error) ? error.GetString() : null);
                    }

                    continue;
                }
            }

            await Task.Delay(wait, cancellationToken);
        }

        return ("stuck", $"not ended by the end of the run");
    }

    /// <summary>Sends and counts the answer; with what to wait before trying again when it was not a success.</summary>
    private async Task<(HttpResponseMessage? Response, TimeSpan Wait)> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        using (request)
        {
            HttpResponseMessage response;
            try
            {
                response = await http.SendAsync(request, cancellationToken);
            }
            catch (HttpRequestException)
            {
                Interlocked.Increment(ref _noAnswer);
                return (null, TimeSpan.FromSeconds(1));
            }
            catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                Interlocked.Increment(ref _noAnswer); // the client's own timeout
                return (null, TimeSpan.FromSeconds(1));
            }

            var retryAfter = response.Headers.RetryAfter?.Delta;
            switch ((int)response.StatusCode)
            {
                case 503:
                    Interlocked.Increment(ref _unavailable);
                    if (retryAfter is not null)
                    {
                        Interlocked.Increment(ref _unavailableWithRetryAfter);
                    }

                    break;
                case >= 500:
                    Interlocked.Increment(ref _otherServerErrors);
                    break;
            }

            return (response, retryAfter is { } delta ? TimeSpan.FromSeconds(Math.Clamp(delta.TotalSeconds, 0.2, 10)) : TimeSpan.FromSeconds(1));
        }
    }
}
