using Meg.Imaging;
using Meg.Quality;

namespace Meg.Imaging.Tests;

public class CodecTests
{
    [Fact]
    public void Png_encoding_then_decoding_returns_identical_pixels()
    {
        var image = TestImages.Load("scene_noise25.png");
        Assert.Equal(image, PngCodec.Decode(PngCodec.Encode(image)));
    }

    [Fact]
    public void Fast_png_encoding_is_lossless_and_a_real_png()
    {
        var image = TestImages.Load("scene_noise25.png");
        var fast = PngCodec.EncodeFast(image);
        Assert.Equal(image, PngCodec.Decode(fast));
        Assert.Equal(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G' }, fast[..4]);
        // Level 1 trades size for speed; a noisy image must still compress (3 bytes per pixel raw).
        Assert.InRange(fast.Length, 1, 3 * image.Width * image.Height);
    }

    [Fact]
    public void Png_files_written_and_read_back_are_identical_and_folders_are_created()
    {
        var image = TestImages.Load("wide.png");
        string folder = Path.Combine(Path.GetTempPath(), "meg-quality-tests", Guid.NewGuid().ToString("N"));
        string path = Path.Combine(folder, "sub", "wide.png");
        try
        {
            PngCodec.WriteFile(image, path);
            Assert.Equal(image, PngCodec.ReadFile(path));
            using var stream = File.OpenRead(path);
            Assert.Equal(image, PngCodec.Decode(stream));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public void A_grayscale_png_decodes_to_rgb_with_equal_channels()
    {
        var image = TestImages.Load("gray.png");
        Assert.Equal((16, 8), (image.Width, image.Height));
        Assert.Equal(new Rgb(16 * 5 + 3, 16 * 5 + 3, 16 * 5 + 3), image[5, 3]);
    }

    [Fact]
    public void Transparent_pixels_are_flattened_on_white()
    {
        var image = TestImages.Load("rgba.png");
        Assert.Equal(new Rgb(255, 255, 255), image[0, 0]);
        Assert.Equal(new Rgb(200, 100, 50), image[15, 0]);
        // Column 8: alpha 136 of 255.
        static byte Blend(int v) => (byte)((v * 136 + 255 * (255 - 136) + 127) / 255);
        var expected = new Rgb(Blend(200), Blend(100), Blend(50));
        var actual = image[8, 4];
        Assert.InRange(Math.Abs(actual.R - expected.R) + Math.Abs(actual.G - expected.G) + Math.Abs(actual.B - expected.B), 0, 3);
    }

    [Fact]
    public void Reading_a_file_that_is_not_an_image_names_the_file_and_the_reason()
    {
        string path = Path.Combine(Path.GetTempPath(), $"meg-not-a-png-{Guid.NewGuid():N}.png");
        File.WriteAllText(path, "this is text, not a PNG");
        try
        {
            var error = Assert.Throws<InvalidImageException>(() => PngCodec.ReadFile(path));
            Assert.Equal(path, error.Path);
            Assert.Contains(path, error.Message);
            Assert.Contains("not a recognised image format", error.Message);
            Assert.Contains("Accepted", error.Message);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void A_truncated_png_fails_to_decode_with_a_reason()
    {
        var bytes = PngCodec.Encode(TestImages.Load("scene_noise5.png"));
        Assert.False(PngCodec.TryDecode(bytes.AsSpan(0, bytes.Length / 2), out var image, out var error));
        Assert.Null(image);
        Assert.False(string.IsNullOrWhiteSpace(error));
        Assert.Throws<InvalidImageException>(() => PngCodec.Decode(bytes.AsSpan(0, bytes.Length / 2)));
    }

    [Fact]
    public void Empty_input_fails_to_decode_with_a_reason()
    {
        Assert.False(JpegCodec.TryDecode([], out _, out var error));
        Assert.Contains("empty", error);
    }

    [Fact]
    public void Jpeg_at_high_quality_is_close_to_the_original()
    {
        // A smooth image: 4:2:0 chroma subsampling caps PSNR near 27 dB on the sharp-edged ones (as in PIL).
        var image = TestImages.Load("large_blur.png");
        var decoded = JpegCodec.Decode(JpegCodec.Encode(image, quality: 95));
        Assert.Equal((image.Width, image.Height), (decoded.Width, decoded.Height));
        double psnr = Psnr.Compute(image, decoded);
        Assert.True(psnr > 38, $"PSNR {psnr:F2} dB");
    }

    [Fact]
    public void Lower_jpeg_quality_gives_fewer_bytes()
    {
        var image = TestImages.Load("scene_noise5.png");
        Assert.True(JpegCodec.Encode(image, 20).Length < JpegCodec.Encode(image, 95).Length);
        Assert.Throws<ArgumentOutOfRangeException>(() => JpegCodec.Encode(image, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => JpegCodec.Encode(image, 101));
    }

    [Fact]
    public void A_jpeg_with_a_corrupted_header_fails_to_decode_without_throwing()
    {
        var bytes = JpegCodec.Encode(TestImages.Load("scene.png"), 80);
        for (int i = 0; i < 16; i++)
        {
            bytes[i] ^= 0xA5;
        }

        Assert.False(JpegCodec.TryDecode(bytes, out var image, out var error));
        Assert.Null(image);
        Assert.Contains("not a recognised image format", error);
    }

    [Fact]
    public void A_truncated_jpeg_fails_strictly_but_yields_a_partial_image_when_partial_is_accepted()
    {
        var image = TestImages.Load("large_noise15.png");
        var bytes = JpegCodec.Encode(image, 90);
        var half = bytes.AsSpan(0, bytes.Length / 2);
        Assert.False(JpegCodec.TryDecode(half, out _, out var error));
        Assert.Contains("IncompleteInput", error);
        Assert.True(JpegCodec.TryDecode(half, out var partial, out _, acceptPartial: true));
        Assert.Equal((image.Width, image.Height), (partial.Width, partial.Height));
    }

    [Fact]
    public void Jpeg_bytes_hit_by_random_bit_errors_never_throw()
    {
        var clean = JpegCodec.Encode(TestImages.Load("scene_noise5.png"), 75);
        var random = new Random(12345);
        int failures = 0;
        for (int trial = 0; trial < 200; trial++)
        {
            var bytes = (byte[])clean.Clone();
            int flips = 1 + random.Next(40);
            for (int f = 0; f < flips; f++)
            {
                bytes[random.Next(bytes.Length)] ^= (byte)(1 << random.Next(8));
            }

            bool ok = JpegCodec.TryDecode(bytes, out var image, out var error, acceptPartial: trial % 2 == 0);
            Assert.True(ok ? image is not null && error is null : image is null && !string.IsNullOrEmpty(error));
            failures += ok ? 0 : 1;
        }

        Assert.InRange(failures, 1, 200);
    }
}
