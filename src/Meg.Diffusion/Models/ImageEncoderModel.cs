using Microsoft.ML.OnnxRuntime;

namespace Meg.Diffusion.Models;

/// <summary>pixel_values [B, 3, H, W] in [-1, 1] -> image_embeds [B, E]: the project's CLIP-style image encoder.</summary>
public sealed class ImageEncoderModel : OnnxModelPart
{
    private readonly string _input;
    private readonly string _output;

    public ImageEncoderModel(InferenceSession session) : base(session)
    {
        _input = RequireInput("pixel_values", "sample");
        _output = RequireOutput("image_embeds");
        FeaturesOutput = OutputMetadata.ContainsKey("features") ? "features" : _output;
    }

    /// <summary>The output used as features for the Frechet distance.</summary>
    public string FeaturesOutput { get; }

    public (float[] Embeddings, int Width) Embed(float[] pixels, int batch, int height, int width) => Run(pixels, batch, height, width, _output);

    public (float[] Features, int Width) Features(float[] pixels, int batch, int height, int width) => Run(pixels, batch, height, width, FeaturesOutput);

    private (float[], int) Run(float[] pixels, int batch, int height, int width, string output)
    {
        var (data, shape) = Run([(_input, FloatInput(_input, pixels, [batch, 3, height, width]))], output)[0];
        return (data, (int)shape[^1]);
    }
}
