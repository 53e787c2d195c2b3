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

    /// <summary>Whether idle ONNX Runtime worker threads spin waiting for work. Spinning lowers latency for one
    /// busy process; where several model-hosting processes share the cores (the services), it burns the cores
    /// the others need, so they turn it off.</summary>
    public bool AllowSpinning { get; init; } = true;

    public static ExecutionOptions Cpu { get; } = new();
}
