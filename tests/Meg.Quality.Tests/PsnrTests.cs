using Meg.Imaging;

namespace Meg.Quality.Tests;

public class PsnrTests
{
    [Fact]
    public void Psnr_of_identical_images_is_positive_infinity()
    {
        var image = TestData.Load("scene.png");
        Assert.Equal(double.PositiveInfinity, Psnr.Compute(image, image));
    }

    [Fact]
    public void Psnr_of_an_offset_of_one_level_everywhere_is_20_log10_of_255()
    {
        var a = RgbImage.Filled(8, 8, new Rgb(100, 100, 100));
        var b = RgbImage.Filled(8, 8, new Rgb(101, 99, 101));
        Assert.Equal(20 * Math.Log10(255), Psnr.Compute(a, b), 10);
    }

    [Fact]
    public void Psnr_on_floats_in_minus_one_to_one_with_range_2_equals_psnr_on_bytes()
    {
        var a = TestData.Load("scene.png");
        var b = TestData.Load("scene_noise25.png");
        double floats = Psnr.Compute(a.ToChw(PixelRange.MinusOneToOne), b.ToChw(PixelRange.MinusOneToOne), dataRange: 2);
        Assert.Equal(Psnr.Compute(a, b), floats, 4);
    }

    [Fact]
    public void Psnr_rejects_images_of_different_sizes()
    {
        var error = Assert.Throws<ArgumentException>(() => Psnr.Compute(new RgbImage(8, 8), new RgbImage(8, 9)));
        Assert.Contains("8x8 vs 8x9", error.Message);
    }
}
