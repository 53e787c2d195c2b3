using Meg.Channel.Digital;
using Meg.Channel.Randomness;

namespace Meg.Channel.Ber;

/// <summary>
/// Monte Carlo BER versus SNR over the digital link (the engine of <c>meg channel ber</c>). Bits stream through in
/// chunks of <see cref="ChunkBits"/>; chunks run in parallel, each with its own seed derived from the chunk index,
/// so the result is the same on any number of threads.
/// </summary>
public static class BerSimulation
{
    /// <summary>Information bits per chunk: six full codewords, and a whole number of symbols for every modulation.</summary>
    public const int ChunkBits = 6 * ConvolutionalCode.MaxInfoBitsPerCodeword;

    /// <summary>Runs the experiment and returns one row per SNR point, in the order given.</summary>
    /// <param name="settings">The experiment.</param>
    /// <param name="progress">Receives the finished fraction, 0 to 1, from worker threads.</param>
    /// <param name="cancellationToken">Stops the run between chunks.</param>
    /// <exception cref="ArgumentException">Invalid settings.</exception>
    public static IReadOnlyList<BerPoint> Run(BerSimulationSettings settings, IProgress<double>? progress = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(settings);
        settings.Validate();

        int points = settings.SnrDb.Count;
        long chunks = (settings.Bits + ChunkBits - 1) / ChunkBits;
        long workItems = points * chunks;
        ChannelSettings[] channels = settings.SnrDb.Select(settings.ToChannel).ToArray();
        var errors = new long[points];
        long finished = 0;

        var options = new ParallelOptions { CancellationToken = cancellationToken };
        Parallel.For(0L, workItems, options, item =>
        {
            int point = (int)(item / chunks);
            long chunk = item % chunks;
            long count = Math.Min(ChunkBits, settings.Bits - chunk * ChunkBits);
            long chunkErrors = RunChunk(channels[point], (int)count, SplitMix64.Derive(settings.RandomSeed, (ulong)chunk));
            Interlocked.Add(ref errors[point], chunkErrors);
            long done = Interlocked.Increment(ref finished);
            progress?.Report((double)done / workItems);
        });

        var rows = new BerPoint[points];
        for (int p = 0; p < points; p++)
        {
            double snr = settings.SnrDb[p];
            double ebN0 = settings.EbN0Db(snr);
            rows[p] = new BerPoint(snr, ebN0, settings.EsN0Db(snr), (double)errors[p] / settings.Bits,
                BerTheory.For(settings.Modulation, settings.Fading, settings.Coded, ebN0), errors[p], settings.Bits);
        }

        return rows;
    }

    // Same chunk seed at every SNR point: the same bits and noise shape, only the noise scale changes.
    private static long RunChunk(ChannelSettings channel, int bitCount, ulong chunkSeed)
    {
        var bits = new byte[bitCount];
        new Xoshiro256StarStar(SeedStreams.PayloadBits(chunkSeed)).FillBits(bits);
        byte[] received = DigitalLink.Send(bits, channel, chunkSeed).Bits;
        long errors = 0;
        for (int i = 0; i < bits.Length; i++)
        {
            errors += bits[i] ^ received[i];
        }

        return errors;
    }
}
