using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Meg.Imaging;

namespace Meg.Distributed.IntegrationTests;

/// <summary>Bad requests through the gateway: 400 problem details naming the field, and nothing stored or enqueued.</summary>
[Trait("Category", "Slow")]
[Collection(DistributedAppCollection.Name)]
public sealed class BadInputTests(DistributedAppFixture app)
{
    private static string Png(RgbImage image) => Convert.ToBase64String(PngCodec.Encode(image));

    public static TheoryData<string, string, object?> BadRequests() => new()
    {
        { "missing prompt", "prompt", null },
        { "unknown protocol", "protocol", "teleport" },
        { "SNR out of range", "snrDb", 500.0 },
        { "sketch not a PNG", "sketch", Convert.ToBase64String("GIF89a, not a PNG"u8.ToArray()) },
        { "image wider than the largest side", "sketch", Png(RgbImage.Filled(2048, 8, new Rgb(9, 9, 9))) },
        { "a PNG bomb (header claims 16384x16384)", "sketch", Convert.ToBase64String(Meg.Chaos.Fuzzing.PngBomb.Create(16384, 16384)) },
        { "steps past the model's maximum", "steps", 1000 },
        { "deadline as text", "deadlineMs", "soon" },
        { "steps out of range", "steps", 0 },
        { "prompt not a string", "prompt", 123 },
        { "steps not a whole number", "steps", 2.5 },
        { "SNR as text", "snrDb", "ten" },
        { "the old name of the random seed", "seed", 7 },
    };

    [Theory]
    [MemberData(nameof(BadRequests))]
    public async Task Bad_input_gets_400_naming_the_field_and_nothing_is_enqueued(string what, string field, object? value)
    {
        var request = new Dictionary<string, object?>
        {
            ["prompt"] = "a red star",
            ["sketch"] = Png(GatewayJobTests.Sketch),
            ["protocol"] = "UIEG",
            ["snrDb"] = 10,
            ["steps"] = 6,
            [field] = value,
        };
        var accepted = await app.AcceptedJobsAsync();

        using var response = await app.Gateway.PostAsJsonAsync("/api/jobs", request);

        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, what);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.True(problem.RootElement.GetProperty("errors").TryGetProperty(field, out _), $"{what}: no error for '{field}'");
        Assert.Equal(accepted, await app.AcceptedJobsAsync());
    }

    [Fact]
    public async Task An_empty_body_gets_400_with_problem_details()
    {
        using var response = await app.Gateway.PostAsync("/api/jobs", new StringContent("", System.Text.Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Contains("JSON object", problem.RootElement.GetProperty("errors").GetProperty("body")[0].GetString());
    }

    [Theory]
    [InlineData("", "-1")]
    [InlineData("", "600000")]
    [InlineData("/image", "70000")]
    public async Task A_wait_out_of_range_on_the_status_or_the_image_gets_400_naming_waitMs(string resource, string waitMs)
    {
        using var response = await app.Gateway.GetAsync($"/api/jobs/{Guid.NewGuid()}{resource}?waitMs={waitMs}");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Contains("0 to 60000", problem.RootElement.GetProperty("errors").GetProperty("waitMs")[0].GetString());
    }

    [Theory]
    [InlineData("?waitMs=abc", "waitMs")]
    [InlineData("?waitMs=2.5", "waitMs")]
    [InlineData("/image?share=first", "share")]
    public async Task A_query_value_of_the_wrong_type_gets_400_naming_it(string query, string field)
    {
        using var response = await app.Gateway.GetAsync($"/api/jobs/{Guid.NewGuid()}{query}");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Contains("whole number", problem.RootElement.GetProperty("errors").GetProperty(field)[0].GetString());
    }

    [Theory]
    [InlineData("GET", "/api/jobs/not-a-job-id", 404)]
    [InlineData("GET", "/api/nothing-here", 404)]
    [InlineData("DELETE", "/api/jobs", 405)]
    public async Task Errors_without_a_body_of_their_own_answer_with_problem_details(string method, string path, int status)
    {
        using var response = await app.Gateway.SendAsync(new HttpRequestMessage(new HttpMethod(method), path));

        Assert.Equal(status, (int)response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task A_body_over_the_limit_gets_413_with_problem_details_and_nothing_is_enqueued()
    {
        var accepted = await app.AcceptedJobsAsync();
        var body = "{\"prompt\": \"" + new string('a', 13 * 1024 * 1024) + "\"}";

        // The client waits for the go-ahead before it uploads, so the refusal reaches it.
        using var post = new HttpRequestMessage(HttpMethod.Post, "/api/jobs") { Content = new StringContent(body, System.Text.Encoding.UTF8, "application/json") };
        post.Headers.ExpectContinue = true;
        using var response = await app.Gateway.SendAsync(post);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(accepted, await app.AcceptedJobsAsync());
    }

    [Fact]
    public async Task A_sketch_of_another_size_is_resized_and_the_job_completes()
    {
        var request = new Dictionary<string, object?>
        {
            ["prompt"] = "a red star",
            ["sketch"] = Png(RgbImage.Filled(200, 120, new Rgb(250, 250, 250))),
            ["protocol"] = "CIAG",
            ["steps"] = 3,
        };

        var status = await app.WaitForEndAsync(await app.SubmitAsync(request));

        Assert.True(status.State == Meg.Distributed.Jobs.JobStates.Completed, status.Error);
    }

    [Fact]
    public async Task The_OpenAPI_document_and_health_are_served_through_the_gateway()
    {
        using var openApi = await app.Gateway.GetAsync("/openapi/v1.json");
        using var health = await app.Gateway.GetAsync("/health");

        Assert.Equal(HttpStatusCode.OK, openApi.StatusCode);
        Assert.Contains("/api/jobs", await openApi.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
    }
}
