using System.Numerics.Tensors;
using System.Text.Json;
using Meg.Diffusion.Models;
using Meg.Diffusion.Samplers;
using Meg.Diffusion.Tokenizers;
using Meg.Imaging;
using Microsoft.Extensions.Logging;

namespace Meg.Diffusion.Pipeline;

/// <summary>
/// A latent diffusion model with each stage callable on its own: text encode, VAE encode, initial latent,
/// denoise steps [a, b), VAE decode. <see cref="Generate"/> is nothing but those stages in order, so a plan
/// that runs them on different nodes gets bit-for-bit the same image.
/// </summary>
public sealed class DiffusionPipeline : IDisposable
{
    private readonly ClipTokenizer _tokenizer;
    private readonly TextEncoderModel _text;
    private readonly UNetModel _unet;
    private readonly VaeEncoderModel _encoder;
    private readonly VaeDecoderModel _decoder;
    private readonly Lazy<VaeDecoderModel?> _robustDecoder;
    private readonly NoiseScheduleConfig _noiseSchedule;

    private DiffusionPipeline(ModelFolder folder, ExecutionOptions options, ILogger? logger)
    {
        Folder = folder;
        Options = options;
        _tokenizer = ClipTokenizer.Load(folder.Tokenizer);
        _text = new TextEncoderModel(SessionFactory.Open(folder.TextEncoder, options, logger, RunsOn));
        _encoder = new VaeEncoderModel(SessionFactory.Open(folder.VaeEncoder, options, logger, RunsOn));
        _decoder = new VaeDecoderModel(SessionFactory.Open(folder.VaeDecoder, options, logger, RunsOn));
        _noiseSchedule = Samplers.NoiseScheduleConfig.Load(folder.NoiseScheduleConfig);
        ScalingFactor = (float)folder.ScalingFactor();
        LatentChannels = ReadLatentChannels(folder);
        _unet = new UNetModel(SessionFactory.Open(folder.Unet, options, logger, RunsOn), LatentChannels);
        (ImageWidth, ImageHeight, VaeFactor) = ReadGeometry(folder);
        _robustDecoder = new(() => folder.HasRobustDecoder ? new VaeDecoderModel(SessionFactory.Open(folder.RobustVaeDecoder, options, logger, RunsOn)) : null);
    }

    public ModelFolder Folder { get; }

    public ExecutionOptions Options { get; }

    /// <summary>The provider the model parts really run on (CUDA falls back to CPU, with the reason here).</summary>
    public ProviderReport RunsOn { get; } = new();

    public int ImageWidth { get; }

    public int ImageHeight { get; }

    public int VaeFactor { get; }

    public int LatentChannels { get; }

    public int LatentHeight => ImageHeight / VaeFactor;

    public int LatentWidth => ImageWidth / VaeFactor;

    public float ScalingFactor { get; }

    /// <summary>True when the UNet takes the encoded sketch at every step (8 input channels).</summary>
    public bool SketchConditioned => _unet.SketchConditioned;

    public bool HasRobustDecoder => Folder.HasRobustDecoder;

    public ClipTokenizer Tokenizer => _tokenizer;

    public UNetModel Unet => _unet;

    public static DiffusionPipeline Load(string folder, ExecutionOptions? options = null, ILogger? logger = null) =>
        new(ModelFolder.Open(folder), options ?? ExecutionOptions.Cpu, logger);

    /// <summary>The most denoising steps the model's noise schedule takes.</summary>
    public int MaxSteps => _noiseSchedule.MaxSteps;

    public ISampler CreateSampler(GenerationSettings settings) => SamplerFactory.Create(settings.Sampler, _noiseSchedule, settings.Steps);

    /// <summary>T: the prompt's hidden states and the empty prompt's (for guidance).</summary>
    public TextConditioning EncodeText(string prompt) => EncodeTexts([prompt])[0];

    /// <summary>T for several prompts in one text-encoder call (each beside the empty prompt).</summary>
    public IReadOnlyList<TextConditioning> EncodeTexts(IReadOnlyList<string> prompts)
    {
        ArgumentNullException.ThrowIfNull(prompts);
        var empty = _tokenizer.Encode("");
        var rows = prompts.SelectMany(p => new[] { _tokenizer.Encode(p ?? throw new ArgumentNullException(nameof(prompts))), empty }).ToArray();
        var (hidden, length, width) = _text.Encode(rows);
        var size = length * width;
        return prompts.Select((_, i) => new TextConditioning(hidden[(2 * i * size)..((2 * i + 1) * size)], hidden[((2 * i + 1) * size)..((2 * i + 2) * size)], length, width))
            .ToArray();
    }

    /// <summary>E: the scaled latent of an image of the model's size.</summary>
    public Latent EncodeImage(RgbImage image) => EncodeImages([image])[0];

    /// <summary>E for several images in one VAE-encoder call.</summary>
    public IReadOnlyList<Latent> EncodeImages(IReadOnlyList<RgbImage> images)
    {
        foreach (var image in images)
        {
            RequireModelSize(image);
        }

        var pixels = 3 * ImageHeight * ImageWidth;
        var input = new float[images.Count * pixels];
        for (var i = 0; i < images.Count; i++)
        {
            images[i].ToChw(input.AsSpan(i * pixels, pixels), PixelRange.MinusOneToOne);
        }

        var (data, shape) = _encoder.Encode(input, images.Count, ImageHeight, ImageWidth);
        TensorPrimitives.Multiply(data, ScalingFactor, data);
        int channels = (int)shape[1], height = (int)shape[2], width = (int)shape[3], size = channels * height * width;
        return images.Select((_, i) => new Latent(data[(i * size)..((i + 1) * size)], channels, height, width)).ToArray();
    }

    /// <summary>
    /// The latent at the first step: pure noise scaled for the sampler (text-to-image, or a
    /// sketch-conditioned UNet), or the encoded input noised to the strength (Stable-Diffusion-style
    /// image-to-image).
    /// </summary>
    public Latent InitialLatent(GenerationSettings settings, Latent? inputLatent)
    {
        settings.Validate();
        var sampler = CreateSampler(settings);
        var noise = LatentNoise.Draw(settings.RandomSeed, LatentChannels * LatentHeight * LatentWidth);
        if (settings.StartStep == 0 || inputLatent is null || SketchConditioned)
        {
            TensorPrimitives.Multiply(noise, sampler.InitialNoiseScale, noise);
            return new Latent(noise, LatentChannels, LatentHeight, LatentWidth);
        }

        var latent = inputLatent.Copy();
        sampler.AddNoise(latent.Data, noise, settings.StartStep);
        return latent;
    }

    /// <summary>Noises a clean latent to the level of step <paramref name="step"/> with noise drawn from
    /// <paramref name="noiseRandomSeed"/> (the start of an image-to-image pass, e.g. completing a sketch).</summary>
    public Latent NoiseTo(Latent clean, int step, GenerationSettings settings, ulong noiseRandomSeed)
    {
        settings.Validate();
        var latent = clean.Copy();
        CreateSampler(settings).AddNoise(latent.Data, LatentNoise.Draw(noiseRandomSeed, latent.Length), step);
        return latent;
    }

    /// <summary>D[from, to): denoising steps from..to-1 on a copy of <paramref name="latent"/>.
    /// <paramref name="condition"/> is the encoded sketch for a sketch-conditioned UNet (zeros when absent).</summary>
    public Latent Denoise(Latent latent, int fromStep, int toStep, TextConditioning text, Latent? condition, GenerationSettings settings, IProgress<int>? progress = null) =>
        DenoiseBatch([latent], fromStep, toStep, [text], [condition], settings, progress)[0];

    /// <summary>
    /// D[from, to) for several latents at once, one UNet call per step for the whole batch (<see cref="DenoiseStep"/>).
    /// All share the steps and settings.
    /// </summary>
    public IReadOnlyList<Latent> DenoiseBatch(IReadOnlyList<Latent> latents, int fromStep, int toStep, IReadOnlyList<TextConditioning> texts,
        IReadOnlyList<Latent?> conditions, GenerationSettings settings, IProgress<int>? progress = null)
    {
        if (latents.Count == 0 || texts.Count != latents.Count || conditions.Count != latents.Count)
        {
            throw new ArgumentException("DenoiseBatch needs one text and one condition (or null) per latent.");
        }

        var sampler = CreateSampler(settings.Validate());
        var items = latents.Select((l, i) => NewDenoiseItem(l, fromStep, toStep, texts[i], conditions[i], settings, sampler, i == 0 ? progress : null)).ToArray();
        DenoiseToEnd(items);
        return items.Select(i => i.Latent).ToArray();
    }

    /// <summary>Runs steps until every item is done, each step one UNet call for the items not yet done.</summary>
    public void DenoiseToEnd(IReadOnlyList<DenoiseItem> items)
    {
        for (var left = items.Where(i => !i.Done).ToArray(); left.Length > 0; left = left.Where(i => !i.Done).ToArray())
        {
            DenoiseStep.Run(_unet, left);
        }
    }

    /// <summary>A latent ready to be denoised from <paramref name="fromStep"/> to <paramref name="toStep"/>, alone or
    /// batched with others (<see cref="ModelBatcher"/>).</summary>
    public DenoiseItem NewDenoiseItem(Latent latent, int fromStep, int toStep, TextConditioning text, Latent? condition, GenerationSettings settings,
        ISampler? sampler = null, IProgress<int>? progress = null) =>
        new(latent, fromStep, toStep, text, SketchConditioned ? condition : null, settings, sampler ?? CreateSampler(settings.Validate()), progress);

    /// <summary>V: decodes a scaled latent to an RGB image (with the noise-robust decoder when asked).</summary>
    public RgbImage Decode(Latent latent, bool robust = false) => DecodeMany([latent], robust)[0];

    /// <summary>V for several latents of one shape in one VAE-decoder call.</summary>
    public IReadOnlyList<RgbImage> DecodeMany(IReadOnlyList<Latent> latents, bool robust = false)
    {
        var decoder = robust
            ? _robustDecoder.Value ?? throw new FileNotFoundException($"This model has no noise-robust decoder ({Folder.RobustVaeDecoder}).")
            : _decoder;
        var first = latents[0];
        if (latents.Any(l => l.Channels != first.Channels || l.Height != first.Height || l.Width != first.Width))
        {
            throw new ArgumentException("Latents decoded together must share their shape.", nameof(latents));
        }

        var unscaled = new float[latents.Count * first.Length];
        for (var i = 0; i < latents.Count; i++)
        {
            TensorPrimitives.Divide(latents[i].Data, ScalingFactor, unscaled.AsSpan(i * first.Length, first.Length));
        }

        var (pixels, shape) = decoder.Decode(unscaled, latents.Count, first.Channels, first.Height, first.Width);
        int height = (int)shape[2], width = (int)shape[3], size = 3 * height * width;
        return latents.Select((_, i) => RgbImage.FromChw(pixels.AsSpan(i * size, size), width, height, PixelRange.MinusOneToOne)).ToArray();
    }

    /// <summary>The whole pipeline in one call: T, E (when a sketch is given), initial latent, D[start, N), V.</summary>
    public RgbImage Generate(string prompt, RgbImage? sketch, GenerationSettings settings, IProgress<int>? progress = null, bool robustDecoder = false)
    {
        settings.Validate();
        var text = EncodeText(prompt);
        var input = sketch is null ? null : EncodeImage(sketch);
        var latent = InitialLatent(settings, input);
        latent = Denoise(latent, settings.StartStep, settings.Steps, text, SketchConditioned ? input : null, settings, progress);
        return Decode(latent, robustDecoder);
    }

    private void RequireModelSize(RgbImage image)
    {
        if (image.Width != ImageWidth || image.Height != ImageHeight)
        {
            throw new ArgumentException($"The image is {image.Width}x{image.Height}; this model takes {ImageWidth}x{ImageHeight}.", nameof(image));
        }
    }

    private static int ReadLatentChannels(ModelFolder folder) =>
        ReadInt(Path.Combine(folder.Root, "vae_decoder", "config.json"), "latent_channels") ?? 4;

    private (int Width, int Height, int Factor) ReadGeometry(ModelFolder folder)
    {
        var index = Path.Combine(folder.Root, "model_index.json");
        var size = ReadInt(index, "image_size") ?? ReadInt(index, "sample_size") ?? ReadInt(Path.Combine(folder.Root, "vae_decoder", "config.json"), "sample_size") ?? 512;
        var vaeConfig = Path.Combine(folder.Root, "vae_decoder", "config.json");
        var factor = ReadInt(index, "vae_factor") ?? ReadInt(vaeConfig, "vae_factor") ?? ReadInt(vaeConfig, "downsample_factor") ?? 8;
        return (size, size, factor);
    }

    private static int? ReadInt(string path, string key)
    {
        if (!File.Exists(path))
        {
            return null;
        }

        using var doc = JsonDocument.Parse(File.ReadAllText(path));
        return doc.RootElement.TryGetProperty(key, out var v) && v.TryGetInt32(out var n) ? n : null;
    }

    public void Dispose()
    {
        _text.Dispose();
        _unet.Dispose();
        _encoder.Dispose();
        _decoder.Dispose();
        if (_robustDecoder.IsValueCreated)
        {
            _robustDecoder.Value?.Dispose();
        }
    }
}
