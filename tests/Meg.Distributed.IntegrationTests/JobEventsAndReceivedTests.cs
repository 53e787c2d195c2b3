using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Meg.Cli.Jobs;
using Meg.Imaging;

namespace Meg.Distributed.IntegrationTests;

/// <summary>The endpoints the web page stands on, through the gateway: a job's event stream, what its UE received, and
/// the model's description and scenes; each job's only for its owner.</summary>
[Trait("Category", "Slow")]
[Collection(DistributedAppCollection.Name)]
public sealed class JobEventsAndReceivedTests(DistributedAppFixture app)
{
    [Fact]
    public async Task The_event_stream_tells_every_step_before_the_end_and_the_end_is_the_jobs_status()
    {
        var id = await app.SubmitAsync(GatewayJobTests.Request("EIUG"));

        var events = new List<(string Type, JsonElement Data)>();
        using (var response = await app.Gateway.GetAsync($"/api/jobs/{id}/events", HttpCompletionOption.ResponseHeadersRead))
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
            using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
            await foreach (var (type, data) in ServerSentEvents.ReadAsync(reader).WithCancellation(new CancellationTokenSource(TimeSpan.FromSeconds(60)).Token))
            {
                events.Add((type, JsonDocument.Parse(data).RootElement.Clone()));
            }
        }

        var status = await app.WaitForEndAsync(id);
        Assert.Equal("completed", status.State);
        Assert.Equal("end", events[^1].Type); // the stream closed after the end
        Assert.Equal("completed", events[^1].Data.GetProperty("state").GetString());
        var steps = events.Where(e => e.Type == "step").Select(e => e.Data.GetProperty("step").GetProperty("index").GetInt32()).ToArray();
        Assert.Equal(Enumerable.Range(0, status.StepCount), steps.Order()); // each step once
        Assert.Equal(status.Accounting.Sum(l => l.ChannelUses), events[^1].Data.GetProperty("accounting").EnumerateArray().Sum(l => l.GetProperty("channelUses").GetInt64()));
        // The seed's crossing links a preview: the latent as the UE received it.
        var preview = events.Where(e => e.Type == "step").Select(e => e.Data.TryGetProperty("preview", out var p) ? p.GetString() : null).First(p => p is not null);
        using var previewed = await app.Gateway.GetAsync($"/api/jobs/{id}/{preview}");
        Assert.Equal(HttpStatusCode.OK, previewed.StatusCode);
    }

    [Theory]
    [InlineData("Centralized", "image")]
    [InlineData("EIUG", "seed")]
    [InlineData("ESUC", "sketch")]
    public async Task The_UE_s_received_payload_comes_as_PNG_to_its_owner_only(string protocol, string kind)
    {
        using var alice = await ClientAsync("alice");
        using var bob = await ClientAsync("bob");
        using var submitted = await alice.PostAsJsonAsync("/api/jobs", GatewayJobTests.Request(protocol));
        var id = (await submitted.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
        await app.WaitForEndAsync(id);

        using var own = await alice.GetAsync($"/api/jobs/{id}/received");
        using var others = await bob.GetAsync($"/api/jobs/{id}/received");
        using var othersEvents = await bob.GetAsync($"/api/jobs/{id}/events");

        Assert.Equal(HttpStatusCode.OK, own.StatusCode);
        Assert.Equal("image/png", own.Content.Headers.ContentType?.MediaType);
        Assert.Equal(kind, own.Headers.GetValues("Meg-Received-Kind").Single());
        var image = PngCodec.Decode(await own.Content.ReadAsByteArrayAsync());
        Assert.True(image.Width > 0 && image.Pixels.ToArray().Distinct().Count() > 1, "the received picture is blank");
        if (kind == "image")
        {
            // Over a noiseless channel, Centralized's UE receives exactly the output image.
            Assert.Equal(await app.ImageAsync(id), image);
        }

        Assert.Equal(HttpStatusCode.NotFound, others.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, othersEvents.StatusCode);
    }

    [Fact]
    public async Task A_step_that_is_not_a_viewable_transfer_is_refused_naming_step()
    {
        var id = await app.SubmitAsync(GatewayJobTests.Request("Centralized"));
        var status = await app.WaitForEndAsync(id);

        using var stage = await app.Gateway.GetAsync($"/api/jobs/{id}/received?step={status.Steps.First(s => s.Kind == "stage").Index}");

        Assert.Equal(HttpStatusCode.BadRequest, stage.StatusCode);
        Assert.Contains("\"step\"", await stage.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task The_model_description_names_its_protocols_channels_vocabulary_and_scenes_with_sketches()
    {
        var model = await app.Gateway.GetFromJsonAsync<JsonElement>("/api/model");
        var scenes = await app.Gateway.GetFromJsonAsync<JsonElement>("/api/model/scenes");
        using var sketch = await app.Gateway.GetAsync($"/api/model/scenes/{scenes[0].GetProperty("id").GetInt32()}/sketch");
        using var unknown = await app.Gateway.GetAsync("/api/model/scenes/99999/sketch");

        Assert.Contains(model.GetProperty("protocols").EnumerateArray(), p => p.GetProperty("name").GetString() == "Centralized");
        Assert.Contains("awgn", model.GetProperty("channels").EnumerateArray().Select(c => c.GetString()));
        Assert.Contains("red", model.GetProperty("vocabulary").GetProperty("colours").EnumerateArray().Select(c => c.GetString()));
        Assert.Equal(scenes.GetArrayLength(), model.GetProperty("scenes").GetInt32());
        Assert.False(string.IsNullOrEmpty(scenes[0].GetProperty("caption").GetString()));
        Assert.Equal("image/png", sketch.Content.Headers.ContentType?.MediaType);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
    }

    private async Task<HttpClient> ClientAsync(string name)
    {
        using var created = await app.Gateway.PostAsJsonAsync("/api/keys", new { name = $"{name}-{Guid.NewGuid():N}"[..30] });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var http = new HttpClient { BaseAddress = app.Gateway.BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
        http.DefaultRequestHeaders.Add("X-Api-Key", (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("key").GetString());
        return http;
    }
}
