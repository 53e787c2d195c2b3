namespace Meg.Diffusion.Schedulers;

/// <summary>Creates a scheduler by name ("ddim" or "euler").</summary>
public static class SchedulerFactory
{
    public static IReadOnlyList<string> Names { get; } = ["ddim", "euler"];

    public static IScheduler Create(string name, SchedulerConfig config, int steps) => name.ToLowerInvariant() switch
    {
        "ddim" => new DdimScheduler(config, steps),
        "euler" => new EulerScheduler(config, steps),
        _ => throw new ArgumentException($"Scheduler '{name}' is not known; use one of: {string.Join(", ", Names)}.", nameof(name)),
    };
}
