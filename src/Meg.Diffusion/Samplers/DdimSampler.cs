namespace Meg.Diffusion.Samplers;

/// <summary>Deterministic DDIM (eta = 0), as diffusers' DDIMScheduler.</summary>
public sealed class DdimSampler : ISampler
{
    private readonly double[] _alphas;
    private readonly int[] _timesteps;
    private readonly double _finalAlpha;
    private readonly int _stride;
    private readonly bool _vPrediction;

    public DdimSampler(NoiseScheduleConfig config, int steps)
    {
        config.Validate();
        _alphas = config.AlphasCumulative();
        _timesteps = config.InferenceTimesteps(steps);
        _finalAlpha = config.SetAlphaToOne ? 1.0 : _alphas[0];
        _stride = config.TrainTimesteps / steps;
        _vPrediction = config.PredictionType == "v_prediction";
        Steps = steps;
    }

    public string Name => "ddim";

    public int Steps { get; }

    public float InitialNoiseScale => 1f;

    public int TimestepAt(int index) => _timesteps[index];

    public void ScaleModelInput(ReadOnlySpan<float> latent, Span<float> scaled, int index) => latent.CopyTo(scaled);

    public void Step(Span<float> latent, ReadOnlySpan<float> modelOutput, int index)
    {
        var t = _timesteps[index];
        var previous = t - _stride;
        var alpha = _alphas[t];
        var alphaPrev = previous >= 0 ? _alphas[previous] : _finalAlpha;
        var sqrtAlpha = Math.Sqrt(alpha);
        var sqrtOneMinus = Math.Sqrt(1 - alpha);
        var sqrtAlphaPrev = Math.Sqrt(alphaPrev);
        var sqrtOneMinusPrev = Math.Sqrt(1 - alphaPrev);
        for (var i = 0; i < latent.Length; i++)
        {
            double x = latent[i], m = modelOutput[i];
            double x0, eps;
            if (_vPrediction)
            {
                x0 = sqrtAlpha * x - sqrtOneMinus * m;
                eps = sqrtAlpha * m + sqrtOneMinus * x;
            }
            else
            {
                x0 = (x - sqrtOneMinus * m) / sqrtAlpha;
                eps = m;
            }

            latent[i] = (float)(sqrtAlphaPrev * x0 + sqrtOneMinusPrev * eps);
        }
    }

    public void AddNoise(Span<float> latent, ReadOnlySpan<float> noise, int index)
    {
        var alpha = _alphas[_timesteps[index]];
        var a = Math.Sqrt(alpha);
        var b = Math.Sqrt(1 - alpha);
        for (var i = 0; i < latent.Length; i++)
        {
            latent[i] = (float)(a * latent[i] + b * noise[i]);
        }
    }
}
