using System.CommandLine;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Meg.Chaos.Faults;
using Meg.Chaos.Fuzzing;
using Meg.Cli.Jobs;
using Meg.Imaging;
using Spectre.Console;

namespace Meg.Cli.Commands;

/// <summary>
/// `meg chaos`: kills processes of the MEG system running here (`meg up`) while jobs go through it, and reports what
/// became of every job: completed, failed with a reason, lost, stuck, and the answers clients got. Exits 1 when a
/// scenario misses its goal.
/// </summary>
public static class ChaosCommand
{
    public static Command Create()
    {
        var connection = GatewayOptions.Create(loopbackOnly: true);
        var scenarios = new Option<string>("--scenarios") { Description = "Which faults, comma-separated: es, channel, broker, redis, scheduler.", DefaultValueFactory = _ => "es,channel,broker,redis,scheduler" };
        var esKills = new Option<int>("--es-kills") { Description = "Jobs whose edge server is killed mid-job in the es scenario, 1-100 (about 12 s each).", DefaultValueFactory = _ => 20 };
        var output = new Option<string>("--out") { Description = "Folder for chaos.csv and chaos.json.", DefaultValueFactory = _ => Path.Combine("results", "chaos") };
        var command = new Command("chaos", "Kill processes of the running system (meg up; it restarts them) while jobs go through it, and report completed, failed, lost and stuck jobs per fault.")
        {
            connection.Gateway, connection.ApiKey, scenarios, esKills, output,
        };
        command.SetAction((parse, cancellationToken) => CliErrors.Run(async () =>
        {
            var kills = parse.GetValue(esKills);
            if (kills is < 1 or > 100)
            {
                throw new ArgumentException($"--es-kills must be from 1 to 100; got {kills}.");
            }

            var all = FaultScenario.All(kills);
            var chosen = parse.GetValue(scenarios)!.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                .Select(name => all.FirstOrDefault(s => s.Name == name) ?? throw new ArgumentException(
                    $"--scenarios must list some of {string.Join(", ", all.Select(s => s.Name))}; got '{name}'."))
                .ToArray();

            using var http = connection.Client(parse, TimeSpan.FromSeconds(60));
            var sketch = RgbImage.Create(64, 64, (x, y) => Math.Abs(x - 32) + Math.Abs(y - 32) < 16 ? new Rgb(200, 30, 30) : new Rgb(240, 240, 240));
            var job = MalformedRequests.Valid(sketch);
            job["steps"] = 20;
            var run = new ChaosRun(http, job, Console.WriteLine);
            var results = new List<ChaosResult>();
            foreach (var scenario in chosen)
            {
                Console.WriteLine($"{scenario.Name}: {scenario.Goal}");
                try
                {
                    results.Add(await run.RunAsync(scenario, cancellationToken));
                }
                catch (InvalidOperationException e)
                {
                    // No such process (the system is not up, or not restarted after an earlier fault): say so, go on.
                    Console.Error.WriteLine($"  {scenario.Name} could not run: {e.Message}");
                }
            }

            Print(results);
            var folder = Directory.CreateDirectory(parse.GetValue(output)!).FullName;
            await File.WriteAllTextAsync(Path.Combine(folder, "chaos.csv"), Csv(results), cancellationToken);
            await File.WriteAllTextAsync(Path.Combine(folder, "chaos.json"), JsonSerializer.Serialize(results, new JsonSerializerOptions(JsonSerializerDefaults.Web) { WriteIndented = true }), cancellationToken);
            Console.WriteLine($"Wrote {Path.Combine(folder, "chaos.csv")} and chaos.json.");
            return results.Count == chosen.Length && results.All(r => r.MetGoal) ? 0 : 1;
        }));
        return command;
    }

    private static void Print(IReadOnlyList<ChaosResult> results)
    {
        var table = new Table().AddColumns("fault", "kills", "submitted", "accepted", "completed", "failed", "lost", "stuck", "503 (with Retry-After)", "other 5xx", "no answer", "goal");
        foreach (var r in results)
        {
            table.AddRow(r.Scenario.Name, $"{r.Faults}", $"{r.Submitted}", $"{r.Accepted}", $"{r.Completed}", $"{r.Failed}", $"{r.Lost}", $"{r.Stuck}",
                $"{r.Unavailable} ({r.UnavailableWithRetryAfter})", $"{r.OtherServerErrors}", $"{r.NoAnswer}", r.MetGoal ? "met" : "MISSED");
        }

        AnsiConsole.Write(table);
        foreach (var r in results.Where(r => r.FailureReasons.Count > 0))
        {
            Console.WriteLine($"  {r.Scenario.Name}: {string.Join(" | ", r.FailureReasons.Take(5))}");
        }
    }

    private static string Csv(IReadOnlyList<ChaosResult> results)
    {
        var csv = new StringBuilder("fault,kills,submitted,accepted,completed,failed,lost,stuck,unavailable_503,with_retry_after,other_5xx,no_answer,goal_met,seconds\n");
        foreach (var r in results)
        {
            csv.Append(CultureInfo.InvariantCulture, $"{r.Scenario.Name},{r.Faults},{r.Submitted},{r.Accepted},{r.Completed},{r.Failed},{r.Lost},{r.Stuck},{r.Unavailable},{r.UnavailableWithRetryAfter},{r.OtherServerErrors},{r.NoAnswer},{r.MetGoal},{r.Seconds:F1}\n");
        }

        return csv.ToString();
    }
}
