namespace Meg.Diffusion.Samplers;

/// <summary>Creates a sampler by name ("ddim" or "euler").</summary>
public static class SamplerFactory
{
    public static IReadOnlyList<string> Names { get; } = ["ddim", "euler"];

    public static ISampler Create(string name, NoiseScheduleConfig config, int steps) => name.ToLowerInvariant() switch
    {
        "ddim" => new DdimSampler(config, steps),
        "euler" => new EulerSampler(config, steps),
        _ => throw new ArgumentException($"Sampler '{name}' is not known; use one of: {string.Join(", ", Names)}.", nameof(name)),
    };
}
