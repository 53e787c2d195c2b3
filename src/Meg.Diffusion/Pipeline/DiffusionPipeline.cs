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
    public TextConditioning EncodeText(string prompt)
    {
        ArgumentNullException.ThrowIfNull(prompt);
        var (hidden, length, width) = _text.Encode([_tokenizer.Encode(prompt), _tokenizer.Encode("")]);
        var size = length * width;
        return new TextConditioning(hidden[..size], hidden[size..(2 * size)], length, width);
    }

    /// <summary>E: the scaled latent of an image of the model's size.</summary>
    public Latent EncodeImage(RgbImage image)
    {
        RequireModelSize(image);
        var (data, shape) = _encoder.Encode(image.ToChw(PixelRange.MinusOneToOne), 1, image.Height, image.Width);
        TensorPrimitives.Multiply(data, ScalingFactor, data);
        return new Latent(data, (int)shape[1], (int)shape[2], (int)shape[3]);
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
    /// D[from, to) for several latents at once, one UNet call per step for the whole batch (with guidance,
    /// the empty-prompt halves first, then the prompts). All share the steps and settings.
    /// </summary>
    public IReadOnlyList<Latent> DenoiseBatch(IReadOnlyList<Latent> latents, int fromStep, int toStep, IReadOnlyList<TextConditioning> texts,
        IReadOnlyList<Latent?> conditions, GenerationSettings settings, IProgress<int>? progress = null)
    {
        settings.Validate();
        // Not tied to StartStep: sketch completion starts its own image-to-image pass at a later step.
        if (fromStep < 0 || toStep <= fromStep || toStep > settings.Steps)
        {
            throw new ArgumentOutOfRangeException(nameof(fromStep), $"Steps [{fromStep},{toStep}) must lie in [0,{settings.Steps}].");
        }

        if (latents.Count == 0 || texts.Count != latents.Count || conditions.Count != latents.Count)
        {
            throw new ArgumentException("DenoiseBatch needs one text and one condition (or null) per latent.");
        }

        var sampler = CreateSampler(settings);
        var guided = settings.Guidance > 1;
        var count = latents.Count;
        var batch = guided ? 2 * count : count;
        var height = latents[0].Height;
        var width = latents[0].Width;
        var size = latents[0].Length;
        var channels = _unet.InputChannels;
        var itemSize = channels * height * width;
        var sample = new float[batch * itemSize];
        var text = texts[0];
        var context = new float[batch * text.Length * text.Width];
        for (var i = 0; i < count; i++)
        {
            var contextSize = text.Length * text.Width;
            if (guided)
            {
                texts[i].Empty.CopyTo(context, i * contextSize);
                texts[i].Prompt.CopyTo(context, (count + i) * contextSize);
            }
            else
            {
                texts[i].Prompt.CopyTo(context, i * contextSize);
            }
        }

        var current = latents.Select(l => l.Copy()).ToArray();
        var scaled = new float[size];
        var guidedOutput = new float[size];
        for (var step = fromStep; step < toStep; step++)
        {
            for (var b = 0; b < batch; b++)
            {
                var i = b % count;
                var offset = b * itemSize;
                sampler.ScaleModelInput(current[i].Data, scaled, step);
                scaled.CopyTo(sample.AsSpan(offset));
                if (SketchConditioned)
                {
                    // InstructPix2Pix layout: the sketch latent rides beside the noisy latent every step.
                    var slot = sample.AsSpan(offset + size, size);
                    if (conditions[i] is { } condition)
                    {
                        condition.Data.CopyTo(slot);
                    }
                    else
                    {
                        slot.Clear();
                    }
                }
            }

            var output = _unet.Predict(sample, batch, height, width, sampler.TimestepAt(step), context, text.Length, text.Width);
            for (var i = 0; i < count; i++)
            {
                if (guided)
                {
                    // uncond + g * (cond - uncond)
                    var uncond = output.AsSpan(i * size, size);
                    var cond = output.AsSpan((count + i) * size, size);
                    TensorPrimitives.Subtract(cond, uncond, guidedOutput);
                    TensorPrimitives.MultiplyAdd(guidedOutput, (float)settings.Guidance, uncond, guidedOutput);
                    sampler.Step(current[i].Data, guidedOutput, step);
                }
                else
                {
                    sampler.Step(current[i].Data, output.AsSpan(i * size, size), step);
                }
            }

            progress?.Report(step + 1);
        }

        return current;
    }

    /// <summary>V: decodes a scaled latent to an RGB image (with the noise-robust decoder when asked).</summary>
    public RgbImage Decode(Latent latent, bool robust = false)
    {
        var decoder = robust
            ? _robustDecoder.Value ?? throw new FileNotFoundException($"This model has no noise-robust decoder ({Folder.RobustVaeDecoder}).")
            : _decoder;
        var unscaled = new float[latent.Length];
        TensorPrimitives.Divide(latent.Data, ScalingFactor, unscaled);
        var (pixels, shape) = decoder.Decode(unscaled, 1, latent.Channels, latent.Height, latent.Width);
        return RgbImage.FromChw(pixels, (int)shape[3], (int)shape[2], PixelRange.MinusOneToOne);
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
