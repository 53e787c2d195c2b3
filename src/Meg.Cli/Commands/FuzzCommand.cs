using System.CommandLine;
using System.Globalization;
using System.Text;
using Meg.Chaos.Fuzzing;
using Meg.Cli.Jobs;
using Meg.Imaging;
using Spectre.Console;

namespace Meg.Cli.Commands;

/// <summary>
/// `meg fuzz`: sends malformed requests (wrong types, encodings, sizes, headers, images, ids, methods, queries, random
/// mutations) to a running system on this machine and checks every answer: no 5xx, nothing accepted, problem details
/// on every 4xx, every 400 naming its field; then runs a normal job. Exits 1 when any check fails.
/// </summary>
public static class FuzzCommand
{
    public static Command Create()
    {
        var connection = GatewayOptions.Create(loopbackOnly: true);
        var count = new Option<int>("--count") { Description = "Malformed requests to send, 200-100000 (beyond the built-in ones: seeded mutations of a valid request).", DefaultValueFactory = _ => 250 };
        var seed = new Option<ulong>("--seed") { Description = "Random seed of the mutations: the same seed sends the same requests.", DefaultValueFactory = _ => 1 };
        var output = new Option<string>("--out") { Description = "Folder for fuzz.csv (one row per request).", DefaultValueFactory = _ => Path.Combine("results", "fuzz") };
        var command = new Command("fuzz", "Send malformed requests to the running system (meg up) and check that each gets a clear 4xx and that it still serves a normal job.")
        {
            connection.Gateway, connection.ApiKey, count, seed, output,
        };
        command.SetAction((parse, cancellationToken) => CliErrors.Run(async () =>
        {
            var n = parse.GetValue(count);
            if (n is < 200 or > 100_000)
            {
                throw new ArgumentException($"--count must be from 200 to 100000; got {n}.");
            }

            using var http = connection.Client(parse, TimeSpan.FromSeconds(90));
            var sketch = RgbImage.Create(64, 64, (x, y) => Math.Abs(x - 32) + Math.Abs(y - 32) < 16 ? new Rgb(200, 30, 30) : new Rgb(240, 240, 240));
            var cases = MalformedRequests.Generate(n, parse.GetValue(seed), sketch);
            FuzzReport report = null!;
            await AnsiConsole.Progress().StartAsync(async progress =>
            {
                var task = progress.AddTask($"{cases.Count} malformed requests to {http.BaseAddress}", maxValue: cases.Count + 1);
                report = await new RequestFuzzer(http).RunAsync(cases, MalformedRequests.Valid(sketch), new Progress<int>(done => task.Value = done), cancellationToken);
                task.Value = task.MaxValue;
            });

            Print(report);
            var folder = Directory.CreateDirectory(parse.GetValue(output)!).FullName;
            await File.WriteAllTextAsync(Path.Combine(folder, "fuzz.csv"), Csv(report), cancellationToken);
            Console.WriteLine($"Wrote {Path.Combine(folder, "fuzz.csv")}.");
            return report.Passed ? 0 : 1;
        }));
        return command;
    }

    private static void Print(FuzzReport report)
    {
        var table = new Table().AddColumns("kind", "sent", "2xx", "4xx", "5xx", "400 naming the field", "failed checks");
        foreach (var kind in report.Results.GroupBy(r => r.Case.Kind))
        {
            var bad = kind.Count(r => r.Status == 400);
            table.AddRow(kind.Key, $"{kind.Count()}", $"{kind.Count(r => r.Status < 300)}", $"{kind.Count(r => r.Status is >= 400 and < 500)}",
                $"{kind.Count(r => r.Status >= 500)}", $"{kind.Count(r => r.Status == 400 && r.NamedFields.Count > 0)}/{bad}", $"{kind.Count(r => r.Violation is not null)}");
        }

        AnsiConsole.Write(table);
        foreach (var failure in report.Violations.Take(20))
        {
            Console.WriteLine($"  FAILED {failure.Case.Kind}: {failure.Case.What}: {failure.Violation}");
        }

        Console.WriteLine($"{report.Results.Count} malformed requests: {report.Results.Count(r => r.Status >= 500)} answered 5xx, {report.Violations.Count} failed a check. " +
                          $"A normal job afterwards: {report.NormalJobState ?? "not accepted"}{(report.NormalJobError is { } e ? $" ({e})" : "")}.");
    }

    private static string Csv(FuzzReport report)
    {
        var csv = new StringBuilder("kind,what,method,path,status,problem_details,named_fields,violation\n");
        static string Quote(string text) => $"\"{text.Replace("\"", "\"\"")}\"";
        foreach (var r in report.Results)
        {
            var path = r.Case.Path.Length > 120 ? r.Case.Path[..120] + "..." : r.Case.Path;
            csv.Append(CultureInfo.InvariantCulture, $"{r.Case.Kind},{Quote(r.Case.What)},{r.Case.Method},{Quote(path)},{r.Status},{r.ProblemDetails},{Quote(string.Join(' ', r.NamedFields))},{Quote(r.Violation ?? "")}\n");
        }

        return csv.ToString();
    }
}
