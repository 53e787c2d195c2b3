namespace Meg.Diffusion.Samplers;

/// <summary>Euler (deterministic, no churn) in the sigma parameterization, as diffusers' EulerDiscreteScheduler.</summary>
public sealed class EulerSampler : ISampler
{
    private readonly int[] _timesteps;
    private readonly double[] _sigmas; // one per step plus a final 0
    private readonly bool _vPrediction;

    public EulerSampler(NoiseScheduleConfig config, int steps)
    {
        config.Validate();
        var alphas = config.AlphasCumulative();
        _timesteps = config.InferenceTimesteps(steps);
        _sigmas = new double[steps + 1];
        for (var i = 0; i < steps; i++)
        {
            var a = alphas[_timesteps[i]];
            _sigmas[i] = Math.Sqrt((1 - a) / a);
        }

        _vPrediction = config.PredictionType == "v_prediction";
        var max = _sigmas[0];
        InitialNoiseScale = (float)(config.TimestepSpacing is "linspace" or "trailing" ? max : Math.Sqrt(max * max + 1));
        Steps = steps;
    }

    public string Name => "euler";

    public int Steps { get; }

    public float InitialNoiseScale { get; }

    public int TimestepAt(int index) => _timesteps[index];

    public void ScaleModelInput(ReadOnlySpan<float> latent, Span<float> scaled, int index)
    {
        var s = _sigmas[index];
        var factor = 1 / Math.Sqrt(s * s + 1);
        for (var i = 0; i < latent.Length; i++)
        {
            scaled[i] = (float)(latent[i] * factor);
        }
    }

    public void Step(Span<float> latent, ReadOnlySpan<float> modelOutput, int index)
    {
        var sigma = _sigmas[index];
        var dt = _sigmas[index + 1] - sigma;
        var c = 1 / Math.Sqrt(sigma * sigma + 1);
        for (var i = 0; i < latent.Length; i++)
        {
            double x = latent[i], m = modelOutput[i];
            var x0 = _vPrediction ? m * (-sigma * c) + x * (c * c) : x - sigma * m;
            var derivative = (x - x0) / sigma;
            latent[i] = (float)(x + derivative * dt);
        }
    }

    public void AddNoise(Span<float> latent, ReadOnlySpan<float> noise, int index)
    {
        var sigma = _sigmas[index];
        for (var i = 0; i < latent.Length; i++)
        {
            latent[i] = (float)(latent[i] + noise[i] * sigma);
        }
    }
}
