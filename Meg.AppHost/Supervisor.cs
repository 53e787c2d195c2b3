using System.Collections.Concurrent;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Meg.AppHost;

/// <summary>
/// Restarts a service, Redis or RabbitMQ that died (exited with a non-zero code: a crash, kill -9, out of memory) while
/// the application runs, as a platform restarts a failed container. A resource stopped on purpose (the dashboard's
/// Stop, an orderly shutdown) passes through Stopping or exits with 0, and stays stopped. A resource that ran a while
/// is restarted after 1 s; one that keeps dying soon after its start (under <see cref="QuickDeath"/>) waits longer each
/// time (2, 4, ... 30 s), and after <see cref="MaxQuickDeaths"/> such deaths in a row it is left stopped, saying so.
/// Run mode only: in a deployment the platform restarts (the manifest gives each service a liveness probe).
/// </summary>
internal sealed class Supervisor(
    ResourceNotificationService notifications,
    ResourceCommandService commands,
    IHostApplicationLifetime lifetime,
    ILogger<Supervisor> logger) : BackgroundService
{
    public const int MaxQuickDeaths = 10;
    public static readonly TimeSpan QuickDeath = TimeSpan.FromSeconds(10);

    private readonly ConcurrentDictionary<string, int> _quickDeaths = new();

    // The state each resource was last seen in: one asked to stop (the dashboard's Stop, a test) passes through
    // Stopping, one that died does not.
    private readonly ConcurrentDictionary<string, string?> _lastState = new();

    // Resources down now whose going down was handled: a snapshot is published again (health, URLs) while a resource
    // stays exited, and each death is handled once.
    private readonly ConcurrentDictionary<string, byte> _down = new();

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await foreach (var update in notifications.WatchAsync(stoppingToken))
        {
            var (name, snapshot, state) = (update.Resource.Name, update.Snapshot, update.Snapshot.State?.Text);
            var before = _lastState.TryGetValue(name, out var last) ? last : null;
            _lastState[name] = state;
            if (state == KnownResourceStates.Starting || state == KnownResourceStates.Running)
            {
                _down.TryRemove(name, out _);
                continue;
            }

            if (!(state == KnownResourceStates.Exited || state == KnownResourceStates.Finished) || _down.ContainsKey(name))
            {
                continue;
            }

            var onPurpose = before == KnownResourceStates.Stopping || lifetime.ApplicationStopping.IsCancellationRequested;
            if (!onPurpose && snapshot.ExitCode is null)
            {
                continue; // the exit code comes with a later snapshot
            }

            _down[name] = 0;
            if (onPurpose || snapshot.ExitCode is 0)
            {
                continue;
            }

            var ranFor = snapshot.StopTimeStamp - snapshot.StartTimeStamp;
            var quickDeaths = _quickDeaths.AddOrUpdate(name, _ => ranFor < QuickDeath ? 1 : 0, (_, n) => ranFor < QuickDeath ? n + 1 : 0);
            _ = RestartAsync(name, snapshot.ExitCode!.Value, quickDeaths, stoppingToken);
        }
    }

    private async Task RestartAsync(string name, int exitCode, int quickDeaths, CancellationToken stoppingToken)
    {
        try
        {
            if (quickDeaths > MaxQuickDeaths)
            {
                logger.LogError("{Resource} exited with code {Code}, the {Count}th time in a row within {QuickDeath} of its start; not restarting it again. Start it from the dashboard once the cause is fixed.",
                    name, exitCode, quickDeaths, QuickDeath);
                return;
            }

            var delay = TimeSpan.FromSeconds(Math.Min(30, Math.Pow(2, quickDeaths)));
            logger.LogWarning("{Resource} exited with code {Code}; restarting it in {Delay} s", name, exitCode, delay.TotalSeconds);
            await Task.Delay(delay, stoppingToken);
            var result = await commands.ExecuteCommandAsync(name, KnownResourceCommands.StartCommand, stoppingToken);
            if (!result.Success)
            {
                logger.LogError("Restarting {Resource} failed: {Message}", name, result.Message);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }
}

internal static class SupervisorExtensions
{
    /// <summary>Restarts what dies in run mode (Meg:Supervise, on by default).</summary>
    public static void AddMegSupervisor(this IDistributedApplicationBuilder builder)
    {
        if (!builder.ExecutionContext.IsPublishMode && builder.Configuration.GetValue("Meg:Supervise", true))
        {
            builder.Services.AddHostedService<Supervisor>();
        }
    }
}
