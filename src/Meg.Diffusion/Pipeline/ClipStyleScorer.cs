using System.Numerics.Tensors;
using Meg.Diffusion.Models;
using Meg.Diffusion.Tokenizers;
using Meg.Imaging;
using Microsoft.Extensions.Logging;

namespace Meg.Diffusion.Pipeline;

/// <summary>
/// The model's CLIP-style pair: cosine similarity between a caption's pooled text embedding and an
/// image's embedding, and the image encoder's features for the Fréchet distance ("MEG-FD").
/// </summary>
public sealed class ClipStyleScorer : IDisposable
{
    private readonly ClipTokenizer _tokenizer;
    private readonly TextEncoderModel _text;
    private readonly ImageEncoderModel _image;

    private ClipStyleScorer(ModelFolder folder, ExecutionOptions options, ILogger? logger)
    {
        _tokenizer = ClipTokenizer.Load(folder.Tokenizer);
        _text = new TextEncoderModel(SessionFactory.Open(folder.TextEncoder, options, logger));
        _image = new ImageEncoderModel(SessionFactory.Open(folder.ImageEncoder, options, logger));
        if (_text.PooledOutput is null)
        {
            throw new InvalidDataException($"{folder.TextEncoder} has no text_embeds output; the CLIP-style score needs it.");
        }
    }

    /// <summary>Null when the model folder has no image encoder (e.g. a plain Stable Diffusion export).</summary>
    public static ClipStyleScorer? TryLoad(string folder, ExecutionOptions? options = null, ILogger? logger = null)
    {
        var model = ModelFolder.Open(folder);
        return model.HasImageEncoder ? new ClipStyleScorer(model, options ?? ExecutionOptions.Cpu, logger) : null;
    }

    /// <summary>L2-normalized pooled embeddings of each caption.</summary>
    public float[][] EmbedTexts(IReadOnlyList<string> captions)
    {
        var (data, width) = _text.EncodePooled(captions.Select(_tokenizer.Encode).ToArray());
        return Normalize(data, width, captions.Count);
    }

    /// <summary>L2-normalized image embeddings and raw Fréchet features, from one encoder run.</summary>
    public (float[][] Embeddings, float[][] Features) Describe(IReadOnlyList<RgbImage> images)
    {
        var (embeddings, features) = _image.Describe(Pixels(images), images.Count, images[0].Height, images[0].Width);
        return (Normalize(embeddings.Data, embeddings.Width, images.Count),
            Enumerable.Range(0, images.Count).Select(i => features.Data.AsSpan(i * features.Width, features.Width).ToArray()).ToArray());
    }

    /// <summary>L2-normalized image embeddings.</summary>
    public float[][] EmbedImages(IReadOnlyList<RgbImage> images) => Describe(images).Embeddings;

    /// <summary>Raw feature vectors for the Fréchet distance.</summary>
    public float[][] Features(IReadOnlyList<RgbImage> images) => Describe(images).Features;

    /// <summary>Cosine similarity of an image and a caption (both embedded and normalized).</summary>
    public double Score(RgbImage image, string caption) => TensorPrimitives.Dot(EmbedImages([image])[0], EmbedTexts([caption])[0]);

    private static float[] Pixels(IReadOnlyList<RgbImage> images)
    {
        var size = images[0].PlanarLength;
        var pixels = new float[size * images.Count];
        for (var i = 0; i < images.Count; i++)
        {
            images[i].ToChw(pixels.AsSpan(i * size, size), PixelRange.MinusOneToOne);
        }

        return pixels;
    }

    private static float[][] Normalize(float[] data, int width, int count) =>
        Enumerable.Range(0, count).Select(i =>
        {
            var row = data.AsSpan(i * width, width).ToArray();
            var norm = TensorPrimitives.Norm(row);
            TensorPrimitives.Divide(row, norm > 0 ? norm : 1, row);
            return row;
        }).ToArray();

    public void Dispose()
    {
        _text.Dispose();
        _image.Dispose();
    }
}
