using Meg.Distributed.Nodes;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Meg.Distributed.Tests;

/// <summary>The services' model hosts share the machine's cores: their ONNX Runtime threads must be free to run on any.</summary>
public sealed class ModelHostThreadsTests
{
    [Fact]
    public void A_model_hosts_threads_are_not_pinned_to_cores()
    {
        if (!OperatingSystem.IsLinux() || Environment.ProcessorCount < 2)
        {
            return; // thread affinities are read from /proc, and one processor leaves nothing to pin to
        }

        using var host = new ModelHost(Options.Create(new ModelOptions { Model = RepositoryLayout.TestFixture("fp32-sketch-conditioned") }), NullLogger<ModelHost>.Instance);

        host.Pipeline.EncodeText("a star"); // every session and its thread pool is up

        var process = File.ReadAllLines("/proc/self/status").Single(l => l.StartsWith("Cpus_allowed_list:", StringComparison.Ordinal));
        // ONNX Runtime's default pool pins each of its threads to one core; these are the process's own threads (the
        // only others that could be pinned, the server GC's, do not run in a test host).
        var pinned = Directory.GetDirectories("/proc/self/task")
            .Select(Describe)
            .OfType<(string Name, string Cpus)>()
            .Where(t => t.Cpus != process && !t.Name.Contains("GC", StringComparison.Ordinal))
            .ToArray();
        Assert.True(pinned.Length == 0, $"Pinned threads: {string.Join(", ", pinned.Select(t => $"{t.Name} ({t.Cpus})"))}");
        Assert.Equal(Environment.ProcessorCount, new ModelOptions().IntraOpThreadsOrDefault);
    }

    /// <summary>A thread's name and CPUs; null for one that ended while the list was read.</summary>
    private static (string Name, string Cpus)? Describe(string task)
    {
        try
        {
            return (File.ReadAllText(Path.Combine(task, "comm")).Trim(),
                File.ReadAllLines(Path.Combine(task, "status")).Single(l => l.StartsWith("Cpus_allowed_list:", StringComparison.Ordinal)));
        }
        catch (IOException)
        {
            return null;
        }
    }
}
