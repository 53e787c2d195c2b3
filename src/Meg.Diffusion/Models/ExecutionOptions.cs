namespace Meg.Diffusion.Models;

/// <summary>Which hardware runs the model parts; chosen by configuration, never by code edits.</summary>
public sealed record ExecutionOptions
{
    /// <summary>"cpu" or "cuda". CUDA falls back to CPU, with the reason logged, when it cannot load.</summary>
    public string Provider { get; init; } = "cpu";

    public int CudaDeviceId { get; init; }

    /// <summary>Threads per operator on CPU; 0 lets ONNX Runtime decide (one per physical core, each pinned to its core,
    /// which suits one process alone on the machine; a number it is given is not pinned).</summary>
    public int IntraOpThreads { get; init; }

    /// <summary>Whether ONNX Runtime's worker threads spin between the operators of a Run (never after it returns).
    /// Spinning lowers latency for one busy process; where several model hosts compute on the same cores at once (the
    /// services' edge servers working in parallel), the spinning threads take the cores the others need, so the
    /// services turn it off by default.</summary>
    public bool AllowSpinning { get; init; } = true;

    public static ExecutionOptions Cpu { get; } = new();
}
