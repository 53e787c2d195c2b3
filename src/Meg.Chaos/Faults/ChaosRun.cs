using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Meg.Chaos.Faults;

/// <summary>
/// Runs fault scenarios (<see cref="FaultScenario"/>) against a MEG system running on this machine: jobs go in through
/// the gateway while a process of the system is killed with SIGKILL (the AppHost's supervisor restarts it), then every
/// accepted job is followed to its end, and the run counts completed, failed (with the reason), lost and stuck jobs.
/// </summary>
public sealed class ChaosRun(HttpClient http, JsonObject job, Action<string> say)
{
    /// <summary>How long a scenario's jobs may take to end after its last fault.</summary>
    public TimeSpan Settle { get; init; } = TimeSpan.FromMinutes(3);

    public async Task<ChaosResult> RunAsync(FaultScenario scenario, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        var client = new ChaosClient(http);
        var ids = new List<Guid?>();
        var faults = 0;
        if (scenario.Name == "es")
        {
            // One job at a time, its edge server killed while it denoises; before the next kill the server has run
            // long enough for the supervisor to restart it at once rather than back off.
            // Centralized, with enough steps that its edge server is still denoising when it is killed.
            var denoising = (JsonObject)job.DeepClone();
            (denoising["protocol"], denoising["steps"]) = ("Centralized", 60);
            for (var round = 1; round <= scenario.Kills; round++)
            {
                var submitted = client.SubmitAsync(denoising, TimeSpan.FromSeconds(60), cancellationToken);
                var busy = await BusyEdgeServerAsync(TimeSpan.FromSeconds(10), cancellationToken);
                if (busy is not null)
                {
                    Kill(busy);
                    faults++;
                }

                var id = await submitted;
                ids.Add(id);
                var end = id is { } accepted ? await client.WaitForEndAsync(accepted, DateTime.UtcNow + Settle, cancellationToken) : ("refused", null);
                say($"  round {round}: killed {busy ?? "nothing (no edge server was busy)"}; the job {end.Item1}");
                await Task.Delay(TimeSpan.FromSeconds(11), cancellationToken);
            }
        }
        else
        {
            // Jobs every 0.25 s for 6 s, the fault 1.5 s in: some before it, some in flight, some after.
            var submissions = new List<Task<Guid?>>();
            for (var k = 0; k < 24; k++)
            {
                if (k == 6)
                {
                    Kill(scenario.Target);
                    faults++;
                }

                submissions.Add(client.SubmitAsync(job, TimeSpan.FromSeconds(90), cancellationToken));
                await Task.Delay(TimeSpan.FromMilliseconds(250), cancellationToken);
            }

            ids.AddRange(await Task.WhenAll(submissions));
        }

        var until = DateTime.UtcNow + Settle;
        var ends = await Task.WhenAll(ids.OfType<Guid>().Select(id => client.WaitForEndAsync(id, until, cancellationToken)));
        var (unavailable, withRetryAfter) = client.Unavailable;
        return new ChaosResult(scenario, faults, ids.Count, ids.Count(i => i is not null),
            ends.Count(e => e.State == "completed"), ends.Count(e => e.State == "failed"), ends.Count(e => e.State == "lost"), ends.Count(e => e.State == "stuck"),
            unavailable, withRetryAfter, client.OtherServerErrors, client.NoAnswer,
            ends.Where(e => e.State != "completed").Select(e => $"{e.State}: {e.Error}").Distinct().ToArray(), clock.Elapsed.TotalSeconds);
    }

    private void Kill(string target)
    {
        var pid = MegProcesses.Find(target);
        using var process = Process.GetProcessById(pid);
        process.Kill(); // SIGKILL: no chance to finish or clean up
        say($"  killed {target} (pid {pid})");
    }

    /// <summary>The edge server with a command in progress (from the queue snapshot), once there is one.</summary>
    private async Task<string?> BusyEdgeServerAsync(TimeSpan patience, CancellationToken cancellationToken)
    {
        var until = DateTime.UtcNow + patience;
        while (DateTime.UtcNow < until)
        {
            try
            {
                var snapshot = JsonDocument.Parse(await http.GetStringAsync("/api/system/queues", cancellationToken)).RootElement;
                foreach (var node in snapshot.GetProperty("nodes").EnumerateArray())
                {
                    if (node.GetProperty("kind").GetString() == "edge-server" && node.GetProperty("inProgress").GetInt64() > 0)
                    {
                        return node.GetProperty("queue").GetString();
                    }
                }
            }
            catch (HttpRequestException)
            {
                // The system is still coming back from the last round.
            }

            await Task.Delay(50, cancellationToken);
        }

        return null;
    }
}
