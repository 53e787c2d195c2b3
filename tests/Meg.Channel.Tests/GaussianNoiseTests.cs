using Meg.Channel.Randomness;

namespace Meg.Channel.Tests;

public class GaussianNoiseTests
{
    private const int Samples = 1 << 22;

    [Fact]
    public void Samples_have_zero_mean_unit_variance_and_normal_tails()
    {
        var values = new float[Samples];
        GaussianNoise.Fill(values, seed: 42);

        double sum = 0, squares = 0;
        long beyond3 = 0, beyond4 = 0;
        foreach (float v in values)
        {
            sum += v;
            squares += (double)v * v;
            beyond3 += Math.Abs(v) > 3 ? 1 : 0;
            beyond4 += Math.Abs(v) > 4 ? 1 : 0;
        }

        double mean = sum / Samples;
        double variance = squares / Samples - mean * mean;
        Assert.InRange(mean, -0.003, 0.003);               // 6 sigma of the sample mean
        Assert.InRange(variance, 0.995, 1.005);            // about 7 sigma of the sample variance
        Assert.InRange(beyond3 / (double)Samples, 0.0027 * 0.95, 0.0027 * 1.05);   // 2P(Z>3) = 0.0026998, +-5 % is ~5 sigma
        Assert.InRange(beyond4 / (double)Samples, 6.334e-5 * 0.75, 6.334e-5 * 1.25); // 2P(Z>4), ~265 hits, +-25 % is ~4 sigma
    }

    [Fact]
    public void Samples_are_uncorrelated_with_their_neighbours()
    {
        var values = new float[Samples];
        GaussianNoise.Fill(values, seed: 7);

        // Lag 1 pairs neighbouring generator lanes, lag 8 the cosine and sine of one Box-Muller draw, lag 16 one lane's consecutive draws.
        foreach (int lag in new[] { 1, 8, 16 })
        {
            double product = 0;
            for (int i = 0; i + lag < values.Length; i++)
            {
                product += (double)values[i] * values[i + lag];
            }

            Assert.InRange(product / (values.Length - lag), -0.003, 0.003);
        }
    }

    [Fact]
    public void Same_seed_gives_identical_values_whatever_the_thread_count()
    {
        int length = 5 * GaussianNoise.ChunkLength + 123;
        var serial = new float[length];
        var parallel = new float[length];
        GaussianNoise.Fill(serial, seed: 3, maxThreads: 1);
        GaussianNoise.Fill(parallel, seed: 3, maxThreads: 4);

        Assert.Equal(serial, parallel);
    }

    [Fact]
    public void The_256_and_512_bit_generators_give_identical_values()
    {
        // Machines with and without AVX-512 must draw the same noise for a seed.
        int length = 2 * GaussianNoise.ChunkLength + 45;
        var narrow = new float[length];
        var wide = new float[length];
        GaussianNoise.Fill(narrow, seed: 8, maxThreads: null, wide: false);
        GaussianNoise.Fill(wide, seed: 8, maxThreads: null, wide: true);

        Assert.Equal(narrow, wide);

        var signal = Enumerable.Range(0, length).Select(i => (float)Math.Sin(i)).ToArray();
        var narrowOut = new float[length];
        var wideOut = new float[length];
        GaussianNoise.ScaleAndAdd(signal, narrowOut, 2f, 0.5f, 0.25f, seed: 8, maxThreads: null, wide: false);
        GaussianNoise.ScaleAndAdd(signal, wideOut, 2f, 0.5f, 0.25f, seed: 8, maxThreads: null, wide: true);

        Assert.Equal(narrowOut, wideOut);
    }

    [Fact]
    public void Different_seeds_give_different_values()
    {
        var a = new float[1000];
        var b = new float[1000];
        GaussianNoise.Fill(a, seed: 1);
        GaussianNoise.Fill(b, seed: 2);

        Assert.NotEqual(a, b);
    }

    [Fact]
    public void Scale_and_add_draws_the_same_noise_as_fill()
    {
        int length = 2 * GaussianNoise.ChunkLength + 37;
        var noise = new float[length];
        GaussianNoise.Fill(noise, seed: 11);
        var signal = new float[length];
        Array.Fill(signal, 2f);
        var output = new float[length];

        double energy = GaussianNoise.ScaleAndAdd(signal, output, 0.5f, 0.25f, 4f, seed: 11);

        double expectedEnergy = 0;
        for (int i = 0; i < length; i++)
        {
            Assert.Equal(MathF.FusedMultiplyAdd(noise[i], 0.25f, 2f * 0.5f) * 4f, output[i]);
            expectedEnergy += 0.0625 * noise[i] * noise[i];
        }

        Assert.Equal(expectedEnergy, energy, expectedEnergy * 1e-5);
    }

    [Fact]
    public void Scale_and_add_works_in_place()
    {
        var data = new float[1000];
        var copy = new float[1000];
        Array.Fill(data, 1f);
        GaussianNoise.ScaleAndAdd(data, copy, 1f, 1f, 1f, seed: 5);

        GaussianNoise.ScaleAndAdd(data, data, 1f, 1f, 1f, seed: 5);

        Assert.Equal(copy, data);
    }
}
