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

    /// <summary>Embeddings [B, E] and features [B, F] from one run of the encoder (they share the network).</summary>
    public ((float[] Data, int Width) Embeddings, (float[] Data, int Width) Features) Describe(float[] pixels, int batch, int height, int width)
    {
        var input = (_input, FloatInput(_input, pixels, [batch, 3, height, width]));
        if (FeaturesOutput == _output)
        {
            var (data, shape) = Run([input], _output)[0];
            return ((data, (int)shape[^1]), (data, (int)shape[^1]));
        }

        var outputs = Run([input], _output, FeaturesOutput);
        return ((outputs[0].Data, (int)outputs[0].Shape[^1]), (outputs[1].Data, (int)outputs[1].Shape[^1]));
    }
}
