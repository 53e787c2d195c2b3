using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Meg.Distributed.IntegrationTests;

/// <summary>API keys at the front door: no key, no entry; each client sees only its own jobs; keys are the
/// administrator's to give; a repeated Idempotency-Key returns the same job; each key is rate-limited.</summary>
[Trait("Category", "Slow")]
[Collection(DistributedAppCollection.Name)]
public sealed class AccessTests(DistributedAppFixture app)
{
    [Theory]
    [InlineData(null)]
    [InlineData("meg_not-a-key-anyone-gave-out")]
    public async Task Without_a_known_key_the_API_answers_401_with_problem_details(string? key)
    {
        using var anonymous = Client(key);

        using var submit = await anonymous.PostAsJsonAsync("/api/jobs", GatewayJobTests.Request("CIAG"));
        using var status = await anonymous.GetAsync($"/api/jobs/{Guid.NewGuid()}");
        using var queues = await anonymous.GetAsync("/api/system/queues");

        foreach (var response in new[] { submit, status, queues })
        {
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            Assert.Contains("X-Api-Key", await response.Content.ReadAsStringAsync());
        }
    }

    [Fact]
    public async Task A_client_sees_its_own_jobs_another_client_gets_404_and_the_admin_sees_all()
    {
        using var alice = Client(await CreateKeyAsync("alice"));
        using var bob = Client(await CreateKeyAsync("bob"));

        using var submitted = await alice.PostAsJsonAsync("/api/jobs", GatewayJobTests.Request("CIAG"));
        Assert.Equal(HttpStatusCode.Accepted, submitted.StatusCode);
        var id = (await submitted.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
        var status = await app.WaitForEndAsync(id); // the admin's view

        using var own = await alice.GetAsync($"/api/jobs/{id}");
        using var other = await bob.GetAsync($"/api/jobs/{id}");
        using var otherImage = await bob.GetAsync($"/api/jobs/{id}/image?waitMs=1000");
        Assert.Equal("completed", status.State);
        Assert.StartsWith("alice-", status.Client);
        Assert.Equal(HttpStatusCode.OK, own.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, other.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, otherImage.StatusCode);
    }

    [Fact]
    public async Task Only_the_admin_creates_keys()
    {
        using var client = Client(await CreateKeyAsync("carol"));

        using var refused = await client.PostAsJsonAsync("/api/keys", new { name = "mallory" });
        using var badName = await app.Gateway.PostAsJsonAsync("/api/keys", new { name = "Not A Name!" });

        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, badName.StatusCode);
        Assert.Contains("\"name\"", await badName.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task The_same_idempotency_key_returns_the_same_job_and_another_body_gets_422()
    {
        var key = Guid.NewGuid().ToString();
        async Task<HttpResponseMessage> PostAsync(object body)
        {
            using var post = new HttpRequestMessage(HttpMethod.Post, "/api/jobs") { Content = JsonContent.Create(body) };
            post.Headers.Add("Idempotency-Key", key);
            return await app.Gateway.SendAsync(post);
        }

        var accepted = await app.AcceptedJobsAsync();
        using var first = await PostAsync(GatewayJobTests.Request("CIAG"));
        using var again = await PostAsync(GatewayJobTests.Request("CIAG"));
        using var other = await PostAsync(GatewayJobTests.Request("EIUG"));

        Assert.Equal(HttpStatusCode.Accepted, first.StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, again.StatusCode);
        Assert.Equal(await first.Content.ReadAsStringAsync(), await again.Content.ReadAsStringAsync());
        Assert.True(again.Headers.Contains("Idempotent-Replayed"));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, other.StatusCode);
        Assert.Contains("Idempotency-Key", await other.Content.ReadAsStringAsync());
        Assert.Equal(accepted + 1, await app.AcceptedJobsAsync());
    }

    [Fact]
    public async Task A_key_past_its_rate_gets_429_with_Retry_After()
    {
        using var client = Client(await CreateKeyAsync("dave"));

        // 150 at once against a bucket of 100 (50 a second, twice that at once).
        var responses = await Task.WhenAll(Enumerable.Range(0, 150).Select(_ => client.GetAsync($"/api/jobs/{Guid.NewGuid()}")));

        var limited = responses.Where(r => r.StatusCode == HttpStatusCode.TooManyRequests).ToArray();
        Assert.NotEmpty(limited);
        Assert.All(limited, r => Assert.True(r.Headers.RetryAfter?.Delta >= TimeSpan.FromSeconds(1)));
        Assert.Equal("application/problem+json", limited[0].Content.Headers.ContentType?.MediaType);
        Assert.Contains(responses, r => r.StatusCode == HttpStatusCode.NotFound); // the ones within the rate went through
        foreach (var response in responses)
        {
            response.Dispose();
        }
    }

    private async Task<string> CreateKeyAsync(string name)
    {
        using var created = await app.Gateway.PostAsJsonAsync("/api/keys", new { name = $"{name}-{Guid.NewGuid():N}"[..30] });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        return (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("key").GetString()!;
    }

    private HttpClient Client(string? key)
    {
        var http = new HttpClient { BaseAddress = app.Gateway.BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
        if (key is not null)
        {
            http.DefaultRequestHeaders.Add("X-Api-Key", key);
        }

        return http;
    }
}
