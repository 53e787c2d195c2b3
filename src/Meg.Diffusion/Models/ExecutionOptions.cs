namespace Meg.Diffusion.Models;

/// <summary>Which hardware runs the model parts; chosen by configuration, never by code edits.</summary>
public sealed record ExecutionOptions
{
    /// <summary>"cpu" or "cuda". CUDA falls back to CPU, with the reason logged, when it cannot load.</summary>
    public string Provider { get; init; } = "cpu";

    public int CudaDeviceId { get; init; }

    /// <summary>Threads per operator on CPU; 0 lets ONNX Runtime decide.</summary>
    public int IntraOpThreads { get; init; }

    public static ExecutionOptions Cpu { get; } = new();
}
