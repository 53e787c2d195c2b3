using Meg.Diffusion.Models;

namespace Meg.Distributed.Nodes;

/// <summary>Which model the services load and on what hardware (configuration section "Meg"; MEG_MODEL overrides the path).</summary>
public sealed class ModelOptions
{
    /// <summary>The model folder; relative paths are looked up from the working folder, then upward from the program's folder.</summary>
    public string Model { get; set; } = "models/meg-tiny";

    /// <summary>"cpu" or "cuda" (falls back to CPU, with the reason logged, when CUDA cannot load).</summary>
    public string Provider { get; set; } = "cpu";

    /// <summary>Threads per ONNX operator; 0: one per processor. Never left to ONNX Runtime, whose default pins its
    /// threads to cores: on a machine the model hosts share with each other and the other services, a pinned thread
    /// waits behind whatever runs on its core instead of moving to a free one.</summary>
    public int IntraOpThreads { get; set; }

    /// <summary><see cref="IntraOpThreads"/>, or one per processor this process may run on when it is 0 (a service pinned
    /// to one core by Meg:Cpus gets one thread: two on one core only wait on each other).</summary>
    public int IntraOpThreadsOrDefault => IntraOpThreads > 0 ? IntraOpThreads : AllowedProcessors();

    private static int AllowedProcessors()
    {
        if (OperatingSystem.IsLinux() || OperatingSystem.IsWindows())
        {
            // Read now, not at start-up as Environment.ProcessorCount is: the pinning happens after the process starts.
            using var self = System.Diagnostics.Process.GetCurrentProcess();
            var allowed = System.Numerics.BitOperations.PopCount((ulong)self.ProcessorAffinity);
            return Math.Clamp(allowed, 1, Environment.ProcessorCount);
        }

        return Environment.ProcessorCount;
    }

    /// <summary>The ONNX Runtime options a model host loads its model with (the benchmarks load theirs alike).</summary>
    public ExecutionOptions Execution => new() { Provider = Provider, IntraOpThreads = IntraOpThreadsOrDefault, AllowSpinning = AllowSpinning };

    /// <summary>Let ONNX Runtime's threads spin between operators. Off by default: several model hosts (UE, ES1, ES2,
    /// ...) share the machine's cores, and one host's spinning steals them from the one that is working.</summary>
    public bool AllowSpinning { get; set; }
}
