using System.Diagnostics;

namespace Meg.Bench;

/// <summary>Timing helpers: warm up, repeat, report the median (robust to a noisy shared machine).</summary>
internal static class Stopwatches
{
    public static double MedianSeconds(Action action, int warmups = 2, int repetitions = 9)
    {
        for (int i = 0; i < warmups; i++)
        {
            action();
        }

        var times = new double[repetitions];
        for (int i = 0; i < repetitions; i++)
        {
            long start = Stopwatch.GetTimestamp();
            action();
            times[i] = Stopwatch.GetElapsedTime(start).TotalSeconds;
        }

        Array.Sort(times);
        return times[repetitions / 2];
    }
}
