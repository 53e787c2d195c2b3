using Meg.Imaging;

namespace Meg.Quality.Tests;

public class MsSsimTests
{
    [Fact]
    public void Ms_ssim_of_identical_images_is_one()
    {
        var image = TestData.Load("scene.png");
        Assert.Equal(1.0, MsSsim.Compute(image, image), 12);
    }

    [Fact]
    public void Ms_ssim_falls_as_noise_grows()
    {
        var clean = TestData.Load("scene.png");
        double previous = 1.0;
        foreach (double sigma in new[] { 2.0, 8.0, 20.0, 50.0 })
        {
            double value = MsSsim.Compute(clean, TestData.WithNoise(clean, sigma, seed: 7));
            Assert.True(value < previous, $"MS-SSIM {value} at sigma {sigma} is not below {previous}");
            previous = value;
        }
    }

    [Fact]
    public void Ms_ssim_is_symmetric()
    {
        var a = TestData.Load("wide.png");
        var b = TestData.Load("wide_noise10.png");
        Assert.Equal(MsSsim.Compute(a, b), MsSsim.Compute(b, a), 12);
    }

    [Fact]
    public void Ms_ssim_shrinks_the_window_at_the_small_scales_of_a_64_pixel_image()
    {
        int[] sides = [64, 32, 16, 8, 4];
        Assert.Equal([11, 11, 11, 7, 3], sides.Select(s => MsSsim.WindowSizeFor(s, s)).ToArray());
        Assert.Equal(11, MsSsim.WindowSizeFor(11, 200));
        Assert.Equal(1, MsSsim.WindowSizeFor(1, 1));
    }

    [Fact]
    public void Ms_ssim_accepts_the_minimum_size_and_rejects_anything_smaller()
    {
        var a = TestData.Load("scene.png");
        var b = TestData.Load("scene_noise25.png");
        double value = MsSsim.Compute(a.Crop(0, 0, 16, 16), b.Crop(0, 0, 16, 16));
        Assert.InRange(value, 0.0, 1.0);
        var error = Assert.Throws<ArgumentException>(() => MsSsim.Compute(a.Crop(0, 0, 15, 64), b.Crop(0, 0, 15, 64)));
        Assert.Contains("16x16", error.Message);
    }

    [Fact]
    public void Ms_ssim_is_higher_than_ssim_for_mild_noise_because_coarse_scales_average_it_out()
    {
        var a = TestData.Load("scene.png");
        var b = TestData.Load("scene_noise25.png");
        Assert.True(MsSsim.Compute(a, b) > Ssim.Compute(a, b));
    }

    [Fact]
    public void Ms_ssim_weights_are_the_standard_five_and_sum_to_one()
    {
        Assert.Equal([0.0448, 0.2856, 0.3001, 0.2363, 0.1333], MsSsim.Weights.ToArray());
        Assert.Equal(1.0, MsSsim.Weights.Sum(), 3);
    }
}
