namespace Meg.Imaging;

/// <summary>One 8-bit RGB pixel.</summary>
public readonly record struct Rgb(byte R, byte G, byte B);

/// <summary>How float pixel values are scaled: diffusion models use [-1, 1], most other code [0, 1].</summary>
public enum PixelRange
{
    /// <summary>0 maps to 0, 255 maps to 1.</summary>
    ZeroToOne,

    /// <summary>0 maps to -1, 255 maps to 1 (the VAE/UNet convention).</summary>
    MinusOneToOne,
}

/// <summary>How <see cref="RgbImage.Resize"/> samples the source.</summary>
public enum ResizeMode
{
    /// <summary>Bilinear with pixel centres at half-integers (align_corners=False). Good for upscaling.</summary>
    Bilinear,

    /// <summary>Exact area average of the source pixels each output pixel covers. Good for downscaling (no aliasing).</summary>
    Area,
}

/// <summary>
/// An 8-bit RGB image, row-major, interleaved (R, G, B, R, G, B, ...). The pixel buffer is private and never
/// handed out for writing, so an instance does not change after construction.
/// </summary>
public sealed class RgbImage : IEquatable<RgbImage>
{
    /// <summary>Upper bound on width and height; guards against corrupted headers asking for huge buffers.</summary>
    public const int MaxSide = 16384;

    private readonly byte[] _pixels;

    /// <summary>A black image.</summary>
    public RgbImage(int width, int height)
    {
        ValidateSize(width, height);
        Width = width;
        Height = height;
        _pixels = new byte[checked(width * height * 3)];
    }

    /// <summary>An image from interleaved RGB bytes (copied); <paramref name="rgb"/> must hold width*height*3 bytes.</summary>
    public RgbImage(int width, int height, ReadOnlySpan<byte> rgb)
    {
        ValidateSize(width, height);
        long expected = (long)width * height * 3;
        if (rgb.Length != expected)
        {
            throw new ArgumentException(
                $"Pixel buffer has {rgb.Length} bytes; a {width}x{height} RGB image needs width*height*3 = {expected}.",
                nameof(rgb));
        }

        Width = width;
        Height = height;
        _pixels = rgb.ToArray();
    }

    // Takes ownership of a buffer this assembly has just filled; no copy.
    private RgbImage(int width, int height, byte[] owned, bool _)
    {
        Width = width;
        Height = height;
        _pixels = owned;
    }

    public int Width { get; }

    public int Height { get; }

    /// <summary>Interleaved RGB bytes, row-major; length Width*Height*3.</summary>
    public ReadOnlySpan<byte> Pixels => _pixels;

    /// <summary>The pixel at column <paramref name="x"/>, row <paramref name="y"/>.</summary>
    public Rgb this[int x, int y]
    {
        get
        {
            int i = Offset(x, y);
            return new Rgb(_pixels[i], _pixels[i + 1], _pixels[i + 2]);
        }
    }

    /// <summary>Channel <paramref name="channel"/> (0 = R, 1 = G, 2 = B) of the pixel at (x, y).</summary>
    public byte this[int x, int y, int channel]
    {
        get
        {
            if ((uint)channel > 2)
            {
                throw new ArgumentOutOfRangeException(nameof(channel), channel, "Channel must be 0 (R), 1 (G) or 2 (B).");
            }

            return _pixels[Offset(x, y) + channel];
        }
    }

    /// <summary>Builds an image by calling <paramref name="pixel"/>(x, y) for every pixel.</summary>
    public static RgbImage Create(int width, int height, Func<int, int, Rgb> pixel)
    {
        ArgumentNullException.ThrowIfNull(pixel);
        ValidateSize(width, height);
        var buffer = new byte[width * height * 3];
        for (int y = 0, i = 0; y < height; y++)
        {
            for (int x = 0; x < width; x++, i += 3)
            {
                Rgb p = pixel(x, y);
                buffer[i] = p.R;
                buffer[i + 1] = p.G;
                buffer[i + 2] = p.B;
            }
        }

        return new RgbImage(width, height, buffer, true);
    }

    /// <summary>An image filled with one colour.</summary>
    public static RgbImage Filled(int width, int height, Rgb color)
    {
        ValidateSize(width, height);
        var buffer = new byte[width * height * 3];
        for (int i = 0; i < buffer.Length; i += 3)
        {
            buffer[i] = color.R;
            buffer[i + 1] = color.G;
            buffer[i + 2] = color.B;
        }

        return new RgbImage(width, height, buffer, true);
    }

    internal static RgbImage TakeOwnership(int width, int height, byte[] rgb) => new(width, height, rgb, true);

    /// <summary>A copy of the interleaved RGB bytes.</summary>
    public byte[] ToArray() => (byte[])_pixels.Clone();

    /// <summary>Number of floats in the planar form: 3*Width*Height.</summary>
    public int PlanarLength => 3 * Width * Height;

    /// <summary>Planar channel-first floats (C=3, H, W), the layout of one NCHW batch item.</summary>
    public float[] ToChw(PixelRange range)
    {
        var result = new float[PlanarLength];
        ToChw(result, range);
        return result;
    }

    /// <summary>Writes planar channel-first floats (C=3, H, W) into <paramref name="destination"/>.</summary>
    public void ToChw(Span<float> destination, PixelRange range)
    {
        if (destination.Length != PlanarLength)
        {
            throw new ArgumentException(
                $"Destination has {destination.Length} floats; a {Width}x{Height} image needs 3*H*W = {PlanarLength}.",
                nameof(destination));
        }

        (float scale, float offset) = range == PixelRange.MinusOneToOne ? (2f / 255f, -1f) : (1f / 255f, 0f);
        int plane = Width * Height;
        for (int p = 0, i = 0; p < plane; p++, i += 3)
        {
            destination[p] = _pixels[i] * scale + offset;
            destination[plane + p] = _pixels[i + 1] * scale + offset;
            destination[2 * plane + p] = _pixels[i + 2] * scale + offset;
        }
    }

    /// <summary>
    /// An image from planar channel-first floats (C=3, H, W). Values are clamped to the range, then rounded to
    /// the nearest byte; NaN becomes the range's lower bound (model outputs can contain both).
    /// </summary>
    public static RgbImage FromChw(ReadOnlySpan<float> chw, int width, int height, PixelRange range)
    {
        ValidateSize(width, height);
        int plane = width * height;
        if (chw.Length != 3 * plane)
        {
            throw new ArgumentException(
                $"Planar buffer has {chw.Length} floats; a {width}x{height} RGB image needs 3*H*W = {3 * plane}.",
                nameof(chw));
        }

        var buffer = new byte[3 * plane];
        bool signed = range == PixelRange.MinusOneToOne;
        for (int c = 0; c < 3; c++)
        {
            ReadOnlySpan<float> source = chw.Slice(c * plane, plane);
            for (int p = 0; p < plane; p++)
            {
                float v = source[p];
                float unit = signed ? (v + 1f) * 0.5f : v;
                buffer[p * 3 + c] = ToByte(unit);
            }
        }

        return new RgbImage(width, height, buffer, true);
    }

    /// <summary>The rectangle at (x, y) of size width x height; it must lie inside the image.</summary>
    public RgbImage Crop(int x, int y, int width, int height)
    {
        if (x < 0 || y < 0 || width < 1 || height < 1 || (long)x + width > Width || (long)y + height > Height)
        {
            throw new ArgumentOutOfRangeException(
                nameof(width),
                $"Crop ({x}, {y}, {width}x{height}) is not inside the {Width}x{Height} image; need x, y >= 0, size >= 1, x+width <= {Width}, y+height <= {Height}.");
        }

        var buffer = new byte[width * height * 3];
        int rowBytes = width * 3;
        for (int row = 0; row < height; row++)
        {
            Array.Copy(_pixels, Offset(x, y + row), buffer, row * rowBytes, rowBytes);
        }

        return new RgbImage(width, height, buffer, true);
    }

    /// <summary>This image resampled to width x height.</summary>
    public RgbImage Resize(int width, int height, ResizeMode mode = ResizeMode.Bilinear)
    {
        ValidateSize(width, height);
        if (width == Width && height == Height)
        {
            return this;
        }

        var buffer = mode switch
        {
            ResizeMode.Bilinear => Resampler.Bilinear(_pixels, Width, Height, width, height),
            ResizeMode.Area => Resampler.Area(_pixels, Width, Height, width, height),
            _ => throw new ArgumentOutOfRangeException(nameof(mode), mode, "Use Bilinear or Area."),
        };
        return new RgbImage(width, height, buffer, true);
    }

    /// <summary>Largest absolute difference of any channel of any pixel; the sizes must match.</summary>
    public int MaxAbsDifference(RgbImage other)
    {
        RequireSameSize(other);
        int max = 0;
        for (int i = 0; i < _pixels.Length; i++)
        {
            max = Math.Max(max, Math.Abs(_pixels[i] - other._pixels[i]));
        }

        return max;
    }

    /// <summary>Throws if <paramref name="other"/> differs in size; used by every pairwise measure.</summary>
    public void RequireSameSize(RgbImage other)
    {
        ArgumentNullException.ThrowIfNull(other);
        if (other.Width != Width || other.Height != Height)
        {
            throw new ArgumentException(
                $"Images differ in size: {Width}x{Height} vs {other.Width}x{other.Height}; both must be the same size.",
                nameof(other));
        }
    }

    /// <summary>Same size and identical bytes.</summary>
    public bool Equals(RgbImage? other) =>
        other is not null && other.Width == Width && other.Height == Height && _pixels.AsSpan().SequenceEqual(other._pixels);

    public override bool Equals(object? obj) => Equals(obj as RgbImage);

    public override int GetHashCode()
    {
        var hash = new HashCode();
        hash.Add(Width);
        hash.Add(Height);
        hash.AddBytes(_pixels);
        return hash.ToHashCode();
    }

    public override string ToString() => $"RgbImage {Width}x{Height}";

    private int Offset(int x, int y)
    {
        if ((uint)x >= (uint)Width || (uint)y >= (uint)Height)
        {
            throw new ArgumentOutOfRangeException(
                nameof(x), $"Pixel ({x}, {y}) is outside the {Width}x{Height} image.");
        }

        return (y * Width + x) * 3;
    }

    internal static byte ToByte(float unit)
    {
        // NaN compares false with everything, so it needs its own test.
        if (float.IsNaN(unit) || unit <= 0f)
        {
            return 0;
        }

        return unit >= 1f ? (byte)255 : (byte)MathF.Round(unit * 255f, MidpointRounding.AwayFromZero);
    }

    internal static void ValidateSize(int width, int height)
    {
        if (width < 1 || height < 1 || width > MaxSide || height > MaxSide)
        {
            throw new ArgumentOutOfRangeException(
                nameof(width), $"Image size {width}x{height} is not allowed; width and height must be 1..{MaxSide}.");
        }
    }
}
