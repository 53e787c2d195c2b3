namespace Meg.Chaos.Faults;

/// <summary>
/// The processes of a MEG system that <c>./meg up</c> runs on this machine, found in /proc: a service by the name the
/// AppHost gives it (OTEL_SERVICE_NAME, on the service's own executable, not its <c>dotnet run</c> wrapper), Redis by
/// its working folder in the AppHost's state folder, RabbitMQ by its node name. Only this user's processes are
/// readable, so nothing else can be picked.
/// </summary>
public static class MegProcesses
{
    public const string Redis = "redis";
    public const string RabbitMq = "rabbitmq";

    /// <summary>The process id of <paramref name="target"/> (es-1, scheduler, channel-emulator, ue-proxy, gateway,
    /// redis, rabbitmq). Throws when there is none, or several (more than one MEG system runs here).</summary>
    public static int Find(string target)
    {
        if (!OperatingSystem.IsLinux())
        {
            throw new PlatformNotSupportedException("Fault injection finds MEG's processes in /proc: Linux only.");
        }

        var found = Directory.EnumerateDirectories("/proc")
            .Select(d => int.TryParse(Path.GetFileName(d), out var pid) ? pid : 0)
            .Where(pid => pid > 0 && Matches(pid, target))
            .ToArray();
        return found.Length switch
        {
            1 => found[0],
            0 => throw new InvalidOperationException($"No process of a running MEG system plays {target}; start one with ./meg up (it may also be restarting)."),
            _ => throw new InvalidOperationException($"{found.Length} processes play {target} ({string.Join(", ", found)}): more than one MEG system runs here."),
        };
    }

    /// <summary>The service process a <c>dotnet run</c> wrapper (the process the AppHost started, whose id its dashboard
    /// shows) runs: its child whose executable is a MEG service's.</summary>
    public static int ServiceUnder(int wrapper) =>
        Directory.EnumerateDirectories("/proc")
            .Select(d => int.TryParse(Path.GetFileName(d), out var pid) ? pid : 0)
            .FirstOrDefault(pid => pid > 0 && ParentOf(pid) == wrapper && IsService(pid)) is var found and > 0
            ? found
            : throw new InvalidOperationException($"Process {wrapper} runs no MEG service.");

    private static int ParentOf(int pid)
    {
        try
        {
            // /proc/<pid>/stat: "pid (comm) state ppid ...", and comm may hold spaces.
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            return int.Parse(stat[(stat.LastIndexOf(')') + 2)..].Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture);
        }
        catch (IOException)
        {
            return 0;
        }
    }

    private static bool IsService(int pid)
    {
        try
        {
            return Executable(pid).StartsWith("Meg.", StringComparison.Ordinal);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    private static bool Matches(int pid, string target)
    {
        try
        {
            return target switch
            {
                // Debian's redis-server is a link to redis-check-rdb; the process still calls itself redis-server.
                Redis => File.ReadAllText($"/proc/{pid}/comm").Trim() == "redis-server" && Directory.ResolveLinkTarget($"/proc/{pid}/cwd", false)?.FullName is { } cwd &&
                         Path.GetFileName(cwd) == "redis" && Path.GetFileName(Path.GetDirectoryName(cwd))!.StartsWith("meg-apphost-", StringComparison.Ordinal),
                RabbitMq => Executable(pid) == "beam.smp" && Environment(pid).Any(e => e.StartsWith("RABBITMQ_NODENAME=meg-", StringComparison.Ordinal)),
                _ => IsService(pid) && Environment(pid).Contains($"OTEL_SERVICE_NAME={target}"),
            };
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false; // gone, or another user's
        }
    }

    private static string Executable(int pid) => Path.GetFileName(new FileInfo($"/proc/{pid}/exe").LinkTarget ?? "");

    private static string[] Environment(int pid) => File.ReadAllText($"/proc/{pid}/environ").Split('\0');
}
