using System.Globalization;
using System.Runtime.InteropServices;

namespace Microsoft.Extensions.Hosting;

/// <summary>
/// Pins this process to the CPUs in "Meg:Cpus" (e.g. "1", "0-1", "0,2"), so a load run can give the edge servers cores
/// of their own. Every thread the process has is pinned (Linux sets affinity per thread), and threads started later
/// inherit it from the thread that starts them.
/// </summary>
public static class CpuPinning
{
    /// <summary>The CPUs in <paramref name="list"/>, in order, without repeats.</summary>
    public static IReadOnlyList<int> Parse(string list)
    {
        var cpus = new SortedSet<int>();
        foreach (var part in list.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var range = part.Split('-');
            if (range.Length is < 1 or > 2 || !range.All(r => int.TryParse(r, NumberStyles.None, CultureInfo.InvariantCulture, out _)))
            {
                throw new ArgumentException($"Meg:Cpus must list CPUs like 1, 0-1 or 0,2; got '{list}'.", nameof(list));
            }

            var (low, high) = (int.Parse(range[0], CultureInfo.InvariantCulture), int.Parse(range[^1], CultureInfo.InvariantCulture));
            if (low > high || high >= Environment.ProcessorCount)
            {
                throw new ArgumentException($"Meg:Cpus '{list}' names CPUs outside 0-{Environment.ProcessorCount - 1}.", nameof(list));
            }

            for (var cpu = low; cpu <= high; cpu++)
            {
                cpus.Add(cpu);
            }
        }

        return cpus.Count > 0 ? cpus.ToArray() : throw new ArgumentException($"Meg:Cpus names no CPU: '{list}'.", nameof(list));
    }

    /// <summary>Pins every thread of this process to <paramref name="cpus"/>; false where the platform cannot (not Linux).</summary>
    public static bool Apply(IReadOnlyList<int> cpus)
    {
        if (!OperatingSystem.IsLinux())
        {
            return false;
        }

        var mask = new byte[Math.Max(8, (cpus.Max() / 64 + 1) * 8)];
        foreach (var cpu in cpus)
        {
            mask[cpu / 8] |= (byte)(1 << (cpu % 8));
        }

        foreach (var task in Directory.EnumerateDirectories("/proc/self/task"))
        {
            if (int.TryParse(Path.GetFileName(task), CultureInfo.InvariantCulture, out var tid) && SchedSetAffinity(tid, mask.Length, mask) != 0)
            {
                var error = Marshal.GetLastPInvokeError();
                if (error != 3) // ESRCH: the thread ended meanwhile
                {
                    throw new InvalidOperationException($"Pinning thread {tid} to CPUs {string.Join(",", cpus)} failed (errno {error}).");
                }
            }
        }

        return true;
    }

    [DllImport("libc", EntryPoint = "sched_setaffinity", SetLastError = true)]
    private static extern int SchedSetAffinity(int tid, nint size, byte[] mask);
}
