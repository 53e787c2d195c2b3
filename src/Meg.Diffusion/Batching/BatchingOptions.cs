namespace Meg.Diffusion.Batching;

/// <summary>How an edge server batches its jobs' model calls (configuration section Meg:Batching).</summary>
public sealed class BatchingOptions
{
    /// <summary>The largest <see cref="MaxBatch"/> accepted.</summary>
    public const int MaxBatchLimit = 256;

    /// <summary>The longest <see cref="MaxWaitMs"/> accepted.</summary>
    public const double MaxWaitLimitMs = 10_000;

    /// <summary>The most denoising items (images) in one UNet call, and the most of each other model call; 1 turns batching off.
    /// With guidance an item takes two UNet rows.</summary>
    public int MaxBatch { get; set; } = 1;

    /// <summary>How long an idle batcher waits for a batch to fill once a first item arrives (0: start at once).
    /// Items arriving while a batch runs join it at the next step without waiting.</summary>
    public double MaxWaitMs { get; set; }

    public bool Enabled => MaxBatch > 1;

    public BatchingOptions Validate()
    {
        if (MaxBatch < 1 || MaxBatch > MaxBatchLimit)
        {
            throw new InvalidOperationException($"Meg:Batching:MaxBatch must be from 1 (off) to {MaxBatchLimit}; got {MaxBatch}.");
        }

        if (!double.IsFinite(MaxWaitMs) || MaxWaitMs < 0 || MaxWaitMs > MaxWaitLimitMs)
        {
            throw new InvalidOperationException($"Meg:Batching:MaxWaitMs must be from 0 to {MaxWaitLimitMs}; got {MaxWaitMs}.");
        }

        return this;
    }
}
