namespace Meg.Imaging.Tests;

public class WienerFilterTests
{
    [Theory]
    [InlineData(-5.0)]
    [InlineData(0.0)]
    [InlineData(10.0)]
    public void It_lowers_the_error_of_a_noisy_scene_at_every_noise_level(double snrDb)
    {
        var (clean, noisy, noiseVariance) = NoisyScene(snrDb, seed: 7);
        var filtered = new float[noisy.Length];

        WienerFilter.FilterPlane(noisy, filtered, 64, 64, noiseVariance);

        var before = Mse(clean, noisy);
        var after = Mse(clean, filtered);
        Assert.True(after < 0.8 * before, $"{snrDb} dB: MSE {before:F1} before, {after:F1} after");
    }

    [Fact]
    public void At_a_very_high_snr_it_changes_almost_nothing()
    {
        var (clean, noisy, noiseVariance) = NoisyScene(50, seed: 3);
        var filtered = new float[noisy.Length];

        WienerFilter.FilterPlane(noisy, filtered, 64, 64, noiseVariance);

        // The noise is ~0.03 grey levels; the filter may smooth it but must not blur the scene.
        Assert.True(Mse(clean, filtered) <= 1.05 * Mse(clean, noisy) + 1e-6);
        for (var i = 0; i < noisy.Length; i++)
        {
            Assert.True(Math.Abs(filtered[i] - noisy[i]) < 0.5f, $"value {i} moved by {filtered[i] - noisy[i]}");
        }
    }

    [Fact]
    public void Without_noise_the_plane_is_returned_unchanged()
    {
        var (_, noisy, _) = NoisyScene(0, seed: 1);
        var filtered = new float[noisy.Length];

        WienerFilter.FilterPlane(noisy, filtered, 64, 64, noiseVariance: 0);

        Assert.Equal(noisy, filtered);
    }

    [Fact]
    public void The_image_form_filters_each_plane_and_keeps_the_size()
    {
        var clean = TestImages.Load("scene.png");
        var random = new Random(5);
        var noisy = RgbImage.Create(clean.Width, clean.Height, (x, y) =>
        {
            var p = clean[x, y];
            byte Noisy(byte v) => (byte)Math.Clamp(Math.Round(v + 20 * Gaussian(random)), 0, 255);
            return new Rgb(Noisy(p.R), Noisy(p.G), Noisy(p.B));
        });

        var filtered = WienerFilter.Filter(noisy, 400);

        Assert.Equal((clean.Width, clean.Height), (filtered.Width, filtered.Height));
        Assert.True(Meg.Quality.Psnr.Compute(clean, filtered) > Meg.Quality.Psnr.Compute(clean, noisy) + 1);
    }

    [Theory]
    [InlineData(-1.0, 2, "noiseVariance")]
    [InlineData(double.NaN, 2, "noiseVariance")]
    [InlineData(1.0, -1, "radius")]
    [InlineData(1.0, WienerFilter.MaxRadius + 1, "radius")]
    public void Bad_settings_are_refused_naming_the_field(double noiseVariance, int radius, string field)
    {
        var error = Assert.Throws<ArgumentException>(() => WienerFilter.FilterPlane(new float[4], new float[4], 2, 2, noiseVariance, radius));

        Assert.Equal(field, error.ParamName);
    }

    [Fact]
    public void A_plane_of_the_wrong_size_is_refused()
    {
        var error = Assert.Throws<ArgumentException>(() => WienerFilter.FilterPlane(new float[5], new float[5], 2, 2, 1));

        Assert.Equal("noisy", error.ParamName);
    }

    // The scene's green plane with white Gaussian noise at snrDb relative to the plane's variance (its mean carries no information).
    private static (float[] Clean, float[] Noisy, double NoiseVariance) NoisyScene(double snrDb, int seed)
    {
        var scene = TestImages.Load("scene.png");
        var clean = new float[scene.Width * scene.Height];
        for (var i = 0; i < clean.Length; i++)
        {
            clean[i] = scene.Pixels[3 * i + 1];
        }

        var mean = clean.Average();
        var variance = clean.Average(v => (v - mean) * (v - mean));
        var noiseVariance = variance / Math.Pow(10, snrDb / 10);
        var random = new Random(seed);
        var noisy = clean.Select(v => (float)(v + Math.Sqrt(noiseVariance) * Gaussian(random))).ToArray();
        return (clean, noisy, noiseVariance);
    }

    private static double Gaussian(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());

    private static double Mse(float[] a, float[] b) => a.Zip(b, (x, y) => (double)(x - y) * (x - y)).Average();
}
