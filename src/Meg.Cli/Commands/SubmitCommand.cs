using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.Json;
using Meg.Cli.Jobs;
using Meg.Imaging;
using Spectre.Console;

namespace Meg.Cli.Commands;

/// <summary>
/// `meg submit`: one job through the running distributed system (<c>meg up</c>): submits it to the gateway, follows
/// its progress on the job's event stream to its end, writes the PNG, and prints where each step ran and how long it took, and what each link carried.
/// </summary>
public static class SubmitCommand
{
    /// <summary>Exit code when the system cannot be reached or the job fails (bad input exits with 2).</summary>
    public const int SystemError = 1;

    public static Command Create()
    {
        var prompt = new Option<string>("--prompt") { Description = "What to draw, e.g. \"a big red star at the top left on a blue background\".", Required = true };
        var sketch = new Option<string>("--sketch") { Description = "The input sketch: a PNG of the model's size.", Required = true };
        var protocol = new Option<string>("--protocol") { Description = "A protocol from `meg protocols`, or auto (the single-ES protocol with the fewest channel uses).", DefaultValueFactory = _ => "auto" };
        var channel = new Option<string>("--channel") { Description = "noiseless, awgn, rayleigh, rician, digital or capacity.", DefaultValueFactory = _ => "noiseless" };
        var snr = new Option<double>("--snr") { Description = "Average SNR per channel use, dB.", DefaultValueFactory = _ => 10 };
        var steps = new Option<int>("--steps") { Description = "Denoising steps.", DefaultValueFactory = _ => 20 };
        var strength = new Option<double?>("--strength") { Description = "Image-to-image strength in (0, 1] (the system's default when left out)." };
        var guidance = new Option<double>("--guidance") { Description = "Classifier-free guidance scale.", DefaultValueFactory = _ => 4 };
        var seed = new Option<ulong>("--seed") { Description = "Random seed of every noise draw (and of the channel's, unless --channel-seed).", DefaultValueFactory = _ => 1 };
        var channelSeed = new Option<ulong?>("--channel-seed") { Description = "Random seed of the channel noise." };
        var connection = GatewayOptions.Create();
        var output = new Option<string>("--out") { Description = "Output PNG path.", DefaultValueFactory = _ => "out.png" };
        var json = new Option<bool>("--json") { Description = "Print the job's whole status as JSON instead of tables." };
        var command = new Command("submit", "Run one job through the running distributed system (meg up): submit, wait, write the PNG, show where its time and channel uses went.")
        {
            prompt, sketch, protocol, channel, snr, steps, strength, guidance, seed, channelSeed, connection.Gateway, connection.ApiKey, output, json,
        };
        command.SetAction((parse, cancellationToken) => CliErrors.Run(async () =>
        {
            connection.GatewayUri(parse); // checked before the sketch is read
            var sketchPath = parse.GetValue(sketch)!;
            // Read and checked here so a bad file is named as the CLI's input, before anything is sent.
            var sketchPng = PngCodec.Encode(PngCodec.ReadFile(sketchPath));
            var request = new JsonObject
            {
                ["prompt"] = parse.GetValue(prompt),
                ["sketch"] = Convert.ToBase64String(sketchPng),
                ["protocol"] = parse.GetValue(protocol),
                ["channel"] = parse.GetValue(channel),
                ["snrDb"] = parse.GetValue(snr),
                ["steps"] = parse.GetValue(steps),
                ["guidance"] = parse.GetValue(guidance),
                ["randomSeed"] = parse.GetValue(seed),
            };
            if (parse.GetValue(strength) is { } s)
            {
                request["strength"] = s;
            }

            if (parse.GetValue(channelSeed) is { } cs)
            {
                request["channelRandomSeed"] = cs;
            }

            using var http = connection.Client(parse, TimeSpan.FromMilliseconds(JobClient.WaitMs + 30_000));
            var client = new JobClient(http);
            var path = parse.GetValue(output)!;
            try
            {
                var clock = Stopwatch.StartNew();
                var id = await client.SubmitAsync(request, cancellationToken);
                JsonElement status = default;
                await AnsiConsole.Status().StartAsync($"job {id:N}: queued", async ctx =>
                {
                    status = await client.FollowAsync(id, progress => ctx.Status(Markup.Escape($"job {id:N}: {progress}")), cancellationToken);
                });
                if (status.GetProperty("state").GetString() != "completed")
                {
                    var error = status.TryGetProperty("error", out var e) ? e.GetString() : "no reason given";
                    Console.Error.WriteLine($"error: job {id:N} failed: {error}");
                    return SystemError;
                }

                var png = await client.ImageAsync(id, cancellationToken: cancellationToken);
                var elapsed = clock.Elapsed;
                await File.WriteAllBytesAsync(path, png, cancellationToken);
                if (parse.GetValue(json))
                {
                    Console.WriteLine(JsonSerializer.Serialize(status, CliJson.Options));
                }
                else
                {
                    PrintSteps(status);
                    PrintLinks(status);
                }

                AnsiConsole.MarkupLine($"Job [bold]{id:N}[/] ({Markup.Escape(status.GetProperty("protocol").GetString() ?? "")}) wrote [bold]{Markup.Escape(path)}[/] in {elapsed.TotalSeconds:0.00} s from submission to PNG.");
                return 0;
            }
            catch (InvalidOperationException e)
            {
                Console.Error.WriteLine($"error: {e.Message}");
                return SystemError;
            }
        }));
        return command;
    }

    private static void PrintSteps(JsonElement status)
    {
        var table = new Table().Title("steps").AddColumns("#", "step", "node", "worker", "queue ms", "service ms", "of which compute", "note");
        foreach (var step in status.GetProperty("steps").EnumerateArray())
        {
            var note = step.TryGetProperty("transfer", out var t) && t.ValueKind == JsonValueKind.Object
                ? $"{t.GetProperty("channelUses").GetInt64():N0} channel uses"
                : step.TryGetProperty("cacheHit", out var hit) && hit.GetBoolean() ? "text-cache hit" : "";
            table.AddRow(
                step.GetProperty("index").GetInt32().ToString(CultureInfo.InvariantCulture),
                Markup.Escape(step.GetProperty("description").GetString() ?? ""),
                Markup.Escape(step.GetProperty("node").GetString() ?? ""),
                Markup.Escape(step.GetProperty("worker").GetString() ?? ""),
                Ms(step, "queueMs"),
                Ms(step, "serviceMs"),
                Ms(step, "computeMs"),
                note);
        }

        AnsiConsole.Write(table);
    }

    private static void PrintLinks(JsonElement status)
    {
        var table = new Table().Title("channel").AddColumns("link", "values", "bits", "channel uses", "airtime s");
        foreach (var link in status.GetProperty("accounting").EnumerateArray())
        {
            table.AddRow(
                Markup.Escape(link.GetProperty("link").GetString() ?? ""),
                link.GetProperty("values").GetInt64().ToString("N0", CultureInfo.InvariantCulture),
                link.GetProperty("bits").GetInt64().ToString("N0", CultureInfo.InvariantCulture),
                link.GetProperty("channelUses").GetInt64().ToString("N0", CultureInfo.InvariantCulture),
                link.GetProperty("airtimeSeconds").GetDouble().ToString("0.######", CultureInfo.InvariantCulture));
        }

        AnsiConsole.Write(table);
    }

    private static string Ms(JsonElement step, string name) =>
        step.TryGetProperty(name, out var v) ? v.GetDouble().ToString("0.0", CultureInfo.InvariantCulture) : "";
}
