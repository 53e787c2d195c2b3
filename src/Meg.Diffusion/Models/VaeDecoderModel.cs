using Microsoft.ML.OnnxRuntime;

namespace Meg.Diffusion.Models;

/// <summary>latent_sample [B, C, h, w] (unscaled) -> sample [B, 3, H, W] in [-1, 1].</summary>
public sealed class VaeDecoderModel : OnnxModelPart
{
    private readonly string _input;
    private readonly string _output;

    public VaeDecoderModel(InferenceSession session) : base(session)
    {
        _input = RequireInput("latent_sample");
        _output = RequireOutput("sample");
    }

    public (float[] Pixels, long[] Shape) Decode(float[] latent, int batch, int channels, int height, int width)
    {
        var (data, shape) = Run([(_input, FloatInput(_input, latent, [batch, channels, height, width]))], _output)[0];
        return (data, shape);
    }
}
