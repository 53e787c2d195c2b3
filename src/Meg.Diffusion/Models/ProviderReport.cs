namespace Meg.Diffusion.Models;

/// <summary>
/// Which execution provider the sessions of one model really got. CUDA falls back to CPU when it cannot load,
/// so what was asked for is not always what runs; callers show this to the user rather than guess.
/// </summary>
public sealed class ProviderReport
{
    /// <summary>"cuda" when every session opened on the GPU; "cpu" otherwise.</summary>
    public string Provider { get; private set; } = "cpu";

    /// <summary>Why CUDA was not used although asked for; null when it was used or not asked for.</summary>
    public string? FallbackReason { get; private set; }

    /// <summary>One line for people: "CUDA device 0", "CPU", or "CPU (CUDA could not load: ...)".</summary>
    public string Describe(ExecutionOptions options) => Provider == "cuda"
        ? $"CUDA device {options.CudaDeviceId}"
        : FallbackReason is null ? "CPU" : $"CPU (CUDA could not load: {FallbackReason})";

    internal void OpenedOnCuda()
    {
        // One session that fell back makes the whole model a CPU one: a mixed model is reported by its slowest part.
        if (FallbackReason is null)
        {
            Provider = "cuda";
        }
    }

    internal void FellBack(string reason)
    {
        Provider = "cpu";
        FallbackReason ??= reason;
    }
}
