namespace Meg.Diffusion.Batching;

/// <summary>How an edge server batches its jobs' model calls (configuration section Meg:Batching).</summary>
public sealed class BatchingOptions
{
    /// <summary>The most denoising items (images) in one UNet call, and the most of each other model call; 1 turns batching off.
    /// With guidance an item takes two UNet rows.</summary>
    public int MaxBatch { get; set; } = 1;

    /// <summary>How long an idle batcher waits for a batch to fill once a first item arrives (0: start at once).
    /// Items arriving while a batch runs join it at the next step without waiting.</summary>
    public double MaxWaitMs { get; set; }

    public bool Enabled => MaxBatch > 1;

    public BatchingOptions Validate()
    {
        if (MaxBatch is < 1 or > 256)
        {
            throw new InvalidOperationException($"Meg:Batching:MaxBatch must be from 1 (off) to 256; got {MaxBatch}.");
        }

        if (!double.IsFinite(MaxWaitMs) || MaxWaitMs is < 0 or > 10_000)
        {
            throw new InvalidOperationException($"Meg:Batching:MaxWaitMs must be from 0 to 10000; got {MaxWaitMs}.");
        }

        return this;
    }
}
