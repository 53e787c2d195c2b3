namespace Meg.Protocols;

/// <summary>
/// The sizes of a latent diffusion model that decide how much data each payload holds.
/// </summary>
/// <param name="Name">Display name.</param>
/// <param name="ImageWidth">Output image width in pixels.</param>
/// <param name="ImageHeight">Output image height in pixels.</param>
/// <param name="VaeFactor">Spatial downsampling of the VAE (8 for Stable Diffusion).</param>
/// <param name="LatentChannels">Channels of the latent (4 for Stable Diffusion).</param>
/// <param name="TextLength">Tokens per prompt after padding.</param>
/// <param name="TextHiddenSize">Width of the text encoder's hidden states.</param>
/// <param name="SketchConditioned">Whether the UNet takes the encoded input image at every step.</param>
public sealed record ModelDimensions(
    string Name,
    int ImageWidth,
    int ImageHeight,
    int VaeFactor,
    int LatentChannels,
    int TextLength,
    int TextHiddenSize,
    bool SketchConditioned)
{
    /// <summary>The project's own model as shipped under models/meg-tiny (64x64 scenes, f=4 VAE).</summary>
    public static ModelDimensions MegTiny { get; } = new("meg-tiny 64x64", 64, 64, 4, 4, 40, 128, true);

    /// <summary>Stable Diffusion 1.5 at 512x512: f=8 VAE, 4x64x64 latent, CLIP ViT-L/14 text (77x768).</summary>
    public static ModelDimensions StableDiffusion15 { get; } = new("Stable Diffusion 1.5 512x512", 512, 512, 8, 4, 77, 768, false);

    public int LatentWidth => ImageWidth / VaeFactor;

    public int LatentHeight => ImageHeight / VaeFactor;

    /// <summary>Real values in one RGB image (3 x H x W).</summary>
    public long ImageValues => 3L * ImageWidth * ImageHeight;

    /// <summary>Real values in one latent (C x H/f x W/f).</summary>
    public long LatentValues => (long)LatentChannels * LatentWidth * LatentHeight;

    public long TextEmbeddingValues => (long)TextLength * TextHiddenSize;

    /// <summary>Real values in an RGB sketch whose long side is <paramref name="side"/> pixels.</summary>
    public long SketchValues(int side)
    {
        var longSide = Math.Max(ImageWidth, ImageHeight);
        var w = Math.Max(1, (int)Math.Round((double)side * ImageWidth / longSide));
        var h = Math.Max(1, (int)Math.Round((double)side * ImageHeight / longSide));
        return 3L * w * h;
    }

    public void Validate()
    {
        if (ImageWidth < 1 || ImageHeight < 1 || VaeFactor < 1 || LatentChannels < 1)
        {
            throw new ArgumentException($"Model '{Name}': image size, VAE factor and latent channels must be positive.");
        }

        if (ImageWidth % VaeFactor != 0 || ImageHeight % VaeFactor != 0)
        {
            throw new ArgumentException(
                $"Model '{Name}': image size {ImageWidth}x{ImageHeight} must be a multiple of the VAE factor {VaeFactor}.");
        }
    }
}
