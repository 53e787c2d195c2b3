namespace Meg.Channel.Randomness;

/// <summary>
/// Runs work over fixed-size chunks of a buffer, in parallel when there is enough of it. Chunk boundaries
/// depend only on the buffer length, so work seeded per chunk gives the same result on any thread count.
/// </summary>
internal static class ChunkedParallel
{
    public static int ChunkCount(long length, int chunkLength) => (int)((length + chunkLength - 1) / chunkLength);

    /// <param name="chunkCount">Number of chunks.</param>
    /// <param name="body">Work for one chunk index.</param>
    /// <param name="maxThreads">Upper bound on threads; null lets the runtime choose.</param>
    public static void For(int chunkCount, Action<int> body, int? maxThreads = null)
    {
        if (chunkCount <= 1 || maxThreads == 1)
        {
            for (int chunk = 0; chunk < chunkCount; chunk++)
            {
                body(chunk);
            }

            return;
        }

        var options = new ParallelOptions { MaxDegreeOfParallelism = maxThreads ?? -1 };
        Parallel.For(0, chunkCount, options, body);
    }
}
