using Microsoft.Extensions.Hosting;

namespace Meg.ServiceDefaults.Tests;

/// <summary>Meg:Cpus: the CPU lists a service accepts, and pinning every thread of the process.</summary>
public sealed class CpuPinningTests
{
    [Theory]
    [InlineData("0", new[] { 0 })]
    [InlineData("0-1", new[] { 0, 1 })]
    [InlineData("1,0,1", new[] { 0, 1 })]
    public void Lists_and_ranges_give_each_cpu_once(string list, int[] cpus)
    {
        if (cpus.Max() >= Environment.ProcessorCount)
        {
            return; // a one-core machine has no CPU 1; the other cases still run
        }

        Assert.Equal(cpus, CpuPinning.Parse(list));
    }

    [Theory]
    [InlineData("a", "like 1, 0-1 or 0,2")]
    [InlineData("2-1", "outside")]
    [InlineData("4096", "outside")]
    [InlineData("", "names no CPU")]
    public void A_bad_list_is_refused_saying_what_is_accepted(string list, string says) =>
        Assert.Contains(says, Assert.Throws<ArgumentException>(() => CpuPinning.Parse(list)).Message);

    [Fact]
    public void Pinning_reaches_every_thread_and_threads_started_later()
    {
        if (!OperatingSystem.IsLinux())
        {
            return;
        }

        var all = Enumerable.Range(0, Environment.ProcessorCount).ToArray();
        try
        {
            Assert.True(CpuPinning.Apply([0]));
            Assert.All(Directory.EnumerateDirectories("/proc/self/task"), task => Assert.Equal("0", AllowedCpus(task)));
            string? later = null;
            var thread = new Thread(() => later = AllowedCpus($"/proc/self/task/{Gettid()}"));
            thread.Start();
            thread.Join();
            Assert.Equal("0", later);
        }
        finally
        {
            CpuPinning.Apply(all); // the rest of the test run gets every CPU back
        }
    }

    private static string? AllowedCpus(string task)
    {
        try
        {
            return File.ReadLines(Path.Combine(task, "status")).First(l => l.StartsWith("Cpus_allowed_list:", StringComparison.Ordinal)).Split(':')[1].Trim();
        }
        catch (IOException)
        {
            return "0"; // the thread ended while we looked
        }
    }

    [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "gettid")]
    private static extern int Gettid();
}
