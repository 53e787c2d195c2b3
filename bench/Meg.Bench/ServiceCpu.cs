using System.Globalization;

namespace Meg.Bench;

/// <summary>
/// CPU time of the system's processes on this machine (Linux /proc), by role: gateway, scheduler, es (all edge
/// servers), ue, channel, rabbitmq, redis. Read around each request, it says what the distribution costs in CPU, which
/// is what slows the model down when every process shares the same few cores.
/// </summary>
internal static class ServiceCpu
{
    public static readonly string[] Roles = ["gateway", "scheduler", "es", "ue", "channel", "rabbitmq", "redis"];

    private static readonly (string Marker, string Role)[] Markers =
    [
        ("Meg.Gateway", "gateway"), ("Meg.Scheduler", "scheduler"), ("Meg.EsGenerator", "es"), ("Meg.UeProxy", "ue"),
        ("Meg.ChannelEmulator", "channel"), ("beam.smp", "rabbitmq"), ("redis-server", "redis"),
    ];

    private static readonly double SecondsPerTick = 1.0 / 100; // USER_HZ, 100 on Linux

    /// <summary>CPU seconds used so far by each role's processes; empty where /proc does not exist.</summary>
    public static Dictionary<string, double> Snapshot()
    {
        var totals = new Dictionary<string, double>();
        if (!Directory.Exists("/proc"))
        {
            return totals;
        }

        foreach (var folder in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(folder), out _))
            {
                continue;
            }

            try
            {
                var commandLine = File.ReadAllText(Path.Combine(folder, "cmdline"));
                var role = Markers.FirstOrDefault(m => commandLine.Contains(m.Marker, StringComparison.Ordinal)).Role;
                if (role is null)
                {
                    continue;
                }

                // Fields 14 and 15 (utime, stime) come after the command name, which is in parentheses and may hold spaces.
                var stat = File.ReadAllText(Path.Combine(folder, "stat"));
                var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
                var ticks = long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
                totals[role] = totals.GetValueOrDefault(role) + ticks * SecondsPerTick;
            }
            catch (IOException)
            {
                // The process ended while we read it.
            }
            catch (UnauthorizedAccessException)
            {
            }
        }

        return totals;
    }

    /// <summary>Milliseconds of CPU each role used between two snapshots.</summary>
    public static Dictionary<string, double> Between(Dictionary<string, double> before, Dictionary<string, double> after) =>
        Roles.ToDictionary(r => r, r => Math.Max(0, after.GetValueOrDefault(r) - before.GetValueOrDefault(r)) * 1000);
}
