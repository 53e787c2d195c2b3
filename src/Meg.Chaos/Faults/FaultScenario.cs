namespace Meg.Chaos.Faults;

/// <summary>One fault to inject: which process is killed (-9), how often, and what must hold afterwards.</summary>
/// <param name="Name">es, channel, broker, redis or scheduler.</param>
/// <param name="Target">The process killed (see <see cref="MegProcesses"/>); for es, the edge server busy with the job.</param>
/// <param name="Kills">How many times: the es scenario kills an edge server in the middle of a job, once per job.</param>
/// <param name="Goal">What must hold, as the report says it.</param>
public sealed record FaultScenario(string Name, string Target, int Kills, string Goal)
{
    public static IReadOnlyList<FaultScenario> All(int esKills) =>
    [
        new("es", "es-1", esKills, $"an edge server killed mid-job {esKills} times: every job completes"),
        new("channel", "channel-emulator", 1, "the channel emulator killed under load: every job completes"),
        new("broker", MegProcesses.RabbitMq, 1, "RabbitMQ killed and restarted with jobs in flight: 0 lost, 0 stuck"),
        new("redis", MegProcesses.Redis, 1, "Redis killed and restarted: 0 accepted jobs lost"),
        new("scheduler", "scheduler", 1, "the scheduler killed: clients get 503 with Retry-After, not 502; every accepted job completes"),
    ];
}
