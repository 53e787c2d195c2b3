using Meg.Imaging;

namespace Meg.Imaging.Tests;

public class RgbImageTests
{
    [Fact]
    public void A_buffer_of_the_wrong_length_is_rejected_with_the_expected_length()
    {
        var error = Assert.Throws<ArgumentException>(() => new RgbImage(4, 2, new byte[23]));
        Assert.Contains("24", error.Message);
    }

    [Theory]
    [InlineData(0, 5)]
    [InlineData(5, -1)]
    [InlineData(RgbImage.MaxSide + 1, 1)]
    public void Sizes_outside_one_to_max_side_are_rejected(int width, int height)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new RgbImage(width, height));
    }

    [Fact]
    public void The_constructor_copies_the_buffer_so_later_writes_do_not_change_the_image()
    {
        var bytes = new byte[] { 1, 2, 3 };
        var image = new RgbImage(1, 1, bytes);
        bytes[0] = 99;
        Assert.Equal(new Rgb(1, 2, 3), image[0, 0]);
    }

    [Fact]
    public void Indexers_read_x_as_column_and_y_as_row()
    {
        var image = RgbImage.Create(3, 2, (x, y) => new Rgb((byte)x, (byte)y, 7));
        Assert.Equal(new Rgb(2, 1, 7), image[2, 1]);
        Assert.Equal(1, image[2, 1, 1]);
        Assert.Throws<ArgumentOutOfRangeException>(() => image[3, 0]);
        Assert.Throws<ArgumentOutOfRangeException>(() => image[0, 0, 3]);
    }

    [Theory]
    [InlineData(PixelRange.ZeroToOne)]
    [InlineData(PixelRange.MinusOneToOne)]
    public void Converting_to_planar_floats_and_back_gives_the_same_bytes(PixelRange range)
    {
        var image = TestImages.Load("wide_noise10.png");
        var chw = image.ToChw(range);
        Assert.Equal(RgbImage.FromChw(chw, image.Width, image.Height, range), image);
    }

    [Fact]
    public void Planar_floats_are_channel_first_and_scaled_to_the_range()
    {
        var image = RgbImage.Create(2, 1, (x, _) => x == 0 ? new Rgb(0, 255, 51) : new Rgb(255, 0, 102));
        float[] expectedSigned = [-1f, 1f, 1f, -1f, -0.6f, -0.2f];
        float[] expectedUnit = [0f, 1f, 1f, 0f, 0.2f, 0.4f];
        var signed = image.ToChw(PixelRange.MinusOneToOne);
        var unit = image.ToChw(PixelRange.ZeroToOne);
        for (int i = 0; i < 6; i++)
        {
            Assert.Equal(expectedSigned[i], signed[i], 1e-6f);
            Assert.Equal(expectedUnit[i], unit[i], 1e-6f);
        }
    }

    [Fact]
    public void Floats_outside_the_range_are_clamped_and_nan_becomes_the_lower_bound()
    {
        float[] chw = [-3f, float.NaN, 7f];
        var image = RgbImage.FromChw(chw, 1, 1, PixelRange.MinusOneToOne);
        Assert.Equal(new Rgb(0, 0, 255), image[0, 0]);
    }

    [Fact]
    public void Crop_copies_the_rectangle_and_rejects_one_that_leaves_the_image()
    {
        var image = RgbImage.Create(5, 4, (x, y) => new Rgb((byte)x, (byte)y, 0));
        var crop = image.Crop(1, 2, 3, 2);
        Assert.Equal((3, 2), (crop.Width, crop.Height));
        Assert.Equal(new Rgb(3, 3, 0), crop[2, 1]);
        Assert.Throws<ArgumentOutOfRangeException>(() => image.Crop(3, 0, 3, 1));
    }

    [Fact]
    public void Area_downscaling_by_two_averages_each_2x2_block()
    {
        var image = RgbImage.Create(4, 2, (x, y) => new Rgb((byte)(10 * x + 100 * y), 50, (byte)(x % 2 == 0 ? 0 : 255)));
        var small = image.Resize(2, 1, ResizeMode.Area);
        Assert.Equal(new Rgb(55, 50, 128), small[0, 0]);
        Assert.Equal(new Rgb(75, 50, 128), small[1, 0]);
    }

    [Fact]
    public void Bilinear_upscaling_keeps_a_flat_image_flat_and_interpolates_a_ramp()
    {
        var flat = RgbImage.Filled(3, 3, new Rgb(9, 8, 7));
        Assert.Equal(RgbImage.Filled(7, 5, new Rgb(9, 8, 7)), flat.Resize(7, 5));

        var ramp = RgbImage.Create(2, 1, (x, _) => new Rgb((byte)(x * 100), 0, 0));
        var wide = ramp.Resize(4, 1);
        Assert.Equal([0, 25, 75, 100], Enumerable.Range(0, 4).Select(x => (int)wide[x, 0].R).ToArray());
    }

    [Fact]
    public void Equality_compares_size_and_every_byte()
    {
        var a = TestImages.Load("scene.png");
        var b = TestImages.Load("scene.png");
        Assert.True(a.Equals(b));
        Assert.Equal(a.GetHashCode(), b.GetHashCode());
        Assert.False(a.Equals(TestImages.Load("scene_noise5.png")));
        Assert.Equal(0, a.MaxAbsDifference(b));
    }
}
