using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Meg.Distributed.Jobs;
using Deque.AxeCore.Playwright;
using Meg.Imaging;
using Microsoft.Playwright;

namespace Meg.Distributed.IntegrationTests;

/// <summary>
/// The web page in a real headless browser (Debian's chromium driven by Playwright), against the whole system: a
/// sketch drawn with the mouse and two protocols run side by side, each card showing a decoded PNG, the API's channel
/// uses and live progress; bad input shows the API's field error next to the field. With MEG_WEB_PAGE_SCREENSHOT set,
/// the first test saves the page after its run there (docs/images/web-page.png is made so).
/// </summary>
[Trait("Category", "Slow")]
[Collection(DistributedAppCollection.Name)]
public sealed class WebPageTests(DistributedAppFixture app)
{
    private static readonly string[] Protocols = ["Centralized", "EIUG"];

    [ChromiumFact]
    public async Task A_drawn_sketch_runs_two_protocols_with_live_progress_pictures_and_the_APIs_channel_uses()
    {
        await using var session = await BrowserSession.OpenAsync(app, await CreateKeyAsync("web"));
        var page = session.Page;

        // A square's outline, drawn with the mouse.
        var box = (await page.GetByTestId("sketch-canvas").BoundingBoxAsync())!;
        await page.Mouse.MoveAsync(box.X + 70, box.Y + 70);
        await page.Mouse.DownAsync();
        foreach (var (x, y) in new[] { (186, 70), (186, 186), (70, 186), (70, 70) })
        {
            await page.Mouse.MoveAsync(box.X + x, box.Y + y, new() { Steps = 8 });
        }

        await page.Mouse.UpAsync();
        Assert.True(await page.EvaluateAsync<int>(InkedPixels, "#sketch") > 100, "the mouse drew nothing on the canvas");

        await page.GetByTestId("prompt").FillAsync("a big red square at the center on a blue background");
        Assert.True(await page.GetByTestId("protocol-Centralized").IsCheckedAsync()); // ticked by default
        foreach (var protocol in Protocols)
        {
            await page.GetByTestId($"protocol-{protocol}").CheckAsync();
        }

        await SetAsync(page, "[data-testid=snr]", "15");
        await page.SelectOptionAsync("#channel", "awgn");
        await page.FillAsync("#steps", GatewayJobTests.Steps.ToString(CultureInfo.InvariantCulture));
        await page.GetByTestId("run").ClickAsync();

        var side = (await app.Gateway.GetFromJsonAsync<JsonElement>("/api/model")).GetProperty("width").GetInt32();
        foreach (var protocol in Protocols)
        {
            var card = page.GetByTestId($"result-{protocol}");
            await Assertions.Expect(card).ToHaveAttributeAsync("data-state", "completed", new() { Timeout = 90_000 });
            await Assertions.Expect(card.Locator("img")).ToHaveCountAsync(2); // the output and what the UE received

            foreach (var role in new[] { "output", "received" })
            {
                var png = await card.Locator($"img[data-role={role}]").EvaluateAsync<JsonElement>(DecodedPng);
                Assert.True(png.GetProperty("png").GetBoolean(), $"{protocol}'s {role} picture is not a PNG");
                Assert.Equal(side, png.GetProperty("width").GetInt32()); // the model's size, decoded
                Assert.True(png.GetProperty("colours").GetInt32() > 8, $"{protocol}'s {role} picture is blank");
            }

            // The channel uses shown are the job record's, link by link.
            var id = Guid.Parse((await card.GetAttributeAsync("data-job-id"))!);
            var status = (await app.Gateway.GetFromJsonAsync<JobStatus>($"/api/jobs/{id}", MegJson.Options))!;
            Assert.Equal(JobStates.Completed, status.State);
            Assert.NotEmpty(status.Accounting);
            foreach (var link in status.Accounting)
            {
                var shown = await card.GetByTestId($"uses-{protocol}-{link.Link}").InnerTextAsync();
                Assert.Equal(link.ChannelUses, long.Parse(shown, NumberStyles.AllowThousands, CultureInfo.InvariantCulture));
            }

            // The event stream told at least one step before the end.
            Assert.True(int.Parse((await card.GetAttributeAsync("data-step-events"))!, CultureInfo.InvariantCulture) >= 1, $"{protocol}: no step event before the end");
        }

        await Assertions.Expect(page.GetByTestId("ratio-Centralized")).ToHaveTextAsync("1.000 × Centralized");
        await Assertions.Expect(page.Locator("#history-list li")).ToHaveCountAsync(1);
        await Assertions.Expect(page.Locator("#queues tbody tr").First).ToBeVisibleAsync();

        // Accessible with the results on it: axe-core (WCAG 2 A and AA rules) finds nothing serious or critical.
        var audit = await page.RunAxe();
        Assert.Contains(audit.Passes, rule => rule.Id == "label"); // the audit ran and checked the form's labels
        var serious = audit.Violations.Where(v => v.Impact is "serious" or "critical").ToArray();
        Assert.True(serious.Length == 0, "Accessibility: " + string.Join("; ", serious.Select(v => $"{v.Id} ({v.Impact}): {v.Help} at {string.Join(", ", v.Nodes.Take(3).Select(n => n.Html))}")));
        if (Environment.GetEnvironmentVariable("MEG_WEB_PAGE_SCREENSHOT") is { Length: > 0 } path)
        {
            await page.ScreenshotAsync(new() { Path = path, FullPage = true });
        }
    }

    [ChromiumFact]
    public async Task Bad_input_shows_the_APIs_field_error_next_to_the_field()
    {
        await using var session = await BrowserSession.OpenAsync(app, await CreateKeyAsync("web-bad"));
        var page = session.Page;

        await page.GetByTestId("prompt").FillAsync("");
        await page.GetByTestId("run").ClickAsync();
        await Assertions.Expect(page.Locator("#prompt-error")).ToContainTextAsync("prompt is required");
        await Assertions.Expect(page.GetByTestId("prompt")).ToHaveAttributeAsync("aria-invalid", "true");

        // An upload past the API's largest side: the API's sketch error, next to the upload.
        var huge = RgbImage.Create(1500, 1500, (x, y) => (x / 50 + y / 50) % 2 == 0 ? new Rgb(255, 255, 255) : new Rgb(0, 0, 0));
        await page.GetByTestId("prompt").FillAsync("a big red star");
        await page.SetInputFilesAsync("#upload", new FilePayload { Name = "huge.png", MimeType = "image/png", Buffer = PngCodec.Encode(huge) });
        await Assertions.Expect(page.Locator("#sketch-source")).ToContainTextAsync("huge.png");
        await page.GetByTestId("run").ClickAsync();
        await Assertions.Expect(page.Locator("#sketch-error")).ToContainTextAsync("1024");
        await Assertions.Expect(page.Locator("#prompt-error")).ToBeHiddenAsync();
        Assert.Equal(0, await page.Locator("#cards article").CountAsync()); // nothing ran
    }

    /// <summary>Pixels of a canvas that are not white.</summary>
    private const string InkedPixels = """
        selector => { const c = document.querySelector(selector); const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
          let n = 0; for (let i = 0; i < d.length; i += 4) if (d[i] < 128) n++; return n; }
        """;

    /// <summary>An img's bytes (PNG signature?) and its decoded pixels: width and distinct colours.</summary>
    private const string DecodedPng = """
        async img => { const bytes = new Uint8Array(await (await fetch(img.src)).arrayBuffer());
          const png = [137, 80, 78, 71, 13, 10, 26, 10].every((b, i) => bytes[i] === b);
          await img.decode(); const c = document.createElement('canvas'); c.width = img.naturalWidth; c.height = img.naturalHeight;
          const g = c.getContext('2d'); g.drawImage(img, 0, 0); const d = g.getImageData(0, 0, c.width, c.height).data;
          const colours = new Set(); for (let i = 0; i < d.length; i += 4) colours.add((d[i] << 16) | (d[i + 1] << 8) | d[i + 2]);
          return { png, width: img.naturalWidth, colours: colours.size }; }
        """;

    private static Task SetAsync(IPage page, string selector, string value) =>
        page.EvalOnSelectorAsync(selector, "(e, v) => { e.value = v; e.dispatchEvent(new Event('input', { bubbles: true })); }", value);

    private async Task<string> CreateKeyAsync(string name)
    {
        using var created = await app.Gateway.PostAsJsonAsync("/api/keys", new { name = $"{name}-{Guid.NewGuid():N}"[..30] });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        return (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("key").GetString()!;
    }

    /// <summary>Chromium with the page open at the gateway, signed in by the key in the URL's fragment as ./meg up prints it.</summary>
    private sealed class BrowserSession : IAsyncDisposable
    {
        private IPlaywright _playwright = null!;
        private IBrowser _browser = null!;

        public IPage Page { get; private set; } = null!;

        public static async Task<BrowserSession> OpenAsync(DistributedAppFixture app, string key)
        {
            var session = new BrowserSession { _playwright = await Playwright.CreateAsync() };
            session._browser = await session._playwright.Chromium.LaunchAsync(new() { ExecutablePath = ChromiumFactAttribute.ExecutablePath, Headless = true, Args = ["--no-sandbox"] });
            session.Page = await session._browser.NewPageAsync(new() { ViewportSize = new() { Width = 1280, Height = 900 } });
            session.Page.SetDefaultTimeout(30_000);
            await session.Page.GotoAsync($"{app.Gateway.BaseAddress}#key={Uri.EscapeDataString(key)}");
            // The page took the key out of the address bar and built its form from the API.
            Assert.DoesNotContain("key=", session.Page.Url);
            await Assertions.Expect(session.Page.GetByTestId("protocol-Centralized")).ToBeVisibleAsync();
            return session;
        }

        public async ValueTask DisposeAsync()
        {
            await _browser.DisposeAsync();
            _playwright.Dispose();
        }
    }
}
