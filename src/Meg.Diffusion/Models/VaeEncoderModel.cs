using Microsoft.ML.OnnxRuntime;

namespace Meg.Diffusion.Models;

/// <summary>sample [B, 3, H, W] in [-1, 1] -> latent_sample [B, C, H/f, W/f] (unscaled, as SD exports it).</summary>
public sealed class VaeEncoderModel : OnnxModelPart
{
    private readonly string _input;
    private readonly string _output;

    public VaeEncoderModel(InferenceSession session) : base(session)
    {
        _input = RequireInput("sample");
        _output = RequireOutput("latent_sample");
    }

    public (float[] Latent, long[] Shape) Encode(float[] pixels, int batch, int height, int width)
    {
        var (data, shape) = Run([(_input, FloatInput(_input, pixels, [batch, 3, height, width]))], _output)[0];
        return (data, shape);
    }
}
