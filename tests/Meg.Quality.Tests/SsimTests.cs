using Meg.Imaging;

namespace Meg.Quality.Tests;

public class SsimTests
{
    [Fact]
    public void Ssim_of_identical_images_is_one()
    {
        var image = TestData.Load("wide.png");
        Assert.Equal(1.0, Ssim.Compute(image, image), 12);
    }

    [Fact]
    public void Ssim_is_symmetric()
    {
        var a = TestData.Load("scene.png");
        var b = TestData.Load("scene_blur.png");
        Assert.Equal(Ssim.Compute(a, b), Ssim.Compute(b, a), 12);
    }

    [Fact]
    public void Ssim_on_floats_in_zero_to_one_with_range_1_equals_ssim_on_bytes()
    {
        var a = TestData.Load("scene.png");
        var b = TestData.Load("scene_noise5.png");
        double floats = Ssim.Compute(a.ToChw(PixelRange.ZeroToOne), b.ToChw(PixelRange.ZeroToOne), 3, a.Width, a.Height, dataRange: 1);
        Assert.Equal(Ssim.Compute(a, b), floats, 5);
    }

    [Fact]
    public void Ssim_depends_on_the_offset_of_the_value_scale_so_minus_one_to_one_differs()
    {
        // The luminance term (2 mx my + C1) / (mx^2 + my^2 + C1) is not shift-invariant.
        var a = TestData.Load("scene.png");
        var b = TestData.Load("scene_noise5.png");
        double signed = Ssim.Compute(a.ToChw(PixelRange.MinusOneToOne), b.ToChw(PixelRange.MinusOneToOne), 3, a.Width, a.Height, dataRange: 2);
        Assert.True(Math.Abs(Ssim.Compute(a, b) - signed) > 1e-3);
    }

    [Fact]
    public void Ssim_rejects_images_smaller_than_the_window()
    {
        var error = Assert.Throws<ArgumentException>(() => Ssim.Compute(new RgbImage(10, 40), new RgbImage(10, 40)));
        Assert.Contains("11x11", error.Message);
    }

    [Fact]
    public void Ssim_accepts_an_image_exactly_the_window_size()
    {
        var a = TestData.Load("scene.png").Crop(20, 20, 11, 11);
        Assert.Equal(1.0, Ssim.Compute(a, a), 12);
    }

    [Fact]
    public void Image_quality_reports_nan_instead_of_failing_on_tiny_images()
    {
        var quality = ImageQuality.Measure(new RgbImage(4, 4), RgbImage.Filled(4, 4, new Rgb(1, 1, 1)));
        Assert.True(double.IsFinite(quality.Psnr));
        Assert.True(double.IsNaN(quality.Ssim));
        Assert.True(double.IsNaN(quality.MsSsim));
    }
}
