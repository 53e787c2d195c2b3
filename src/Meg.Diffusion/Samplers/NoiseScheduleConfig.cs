using System.Text.Json.Serialization;
using System.Text.Json;

namespace Meg.Diffusion.Samplers;

/// <summary>The fields of a diffusers <c>scheduler_config.json</c> that the schedulers here use.</summary>
public sealed record NoiseScheduleConfig
{
    [JsonPropertyName("num_train_timesteps")]
    public int TrainTimesteps { get; init; } = 1000;

    [JsonPropertyName("beta_start")]
    public double BetaStart { get; init; } = 0.00085;

    [JsonPropertyName("beta_end")]
    public double BetaEnd { get; init; } = 0.012;

    [JsonPropertyName("beta_schedule")]
    public string BetaSchedule { get; init; } = "scaled_linear";

    [JsonPropertyName("prediction_type")]
    public string PredictionType { get; init; } = "epsilon";

    [JsonPropertyName("set_alpha_to_one")]
    public bool SetAlphaToOne { get; init; }

    [JsonPropertyName("steps_offset")]
    public int StepsOffset { get; init; } = 1;

    [JsonPropertyName("timestep_spacing")]
    public string TimestepSpacing { get; init; } = "leading";

    public static NoiseScheduleConfig Load(string path)
    {
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"Scheduler config not found: {path}", path);
        }

        var config = JsonSerializer.Deserialize<NoiseScheduleConfig>(File.ReadAllText(path))
                     ?? throw new InvalidDataException($"Scheduler config {path} is empty.");
        return config.Validate(path);
    }

    public NoiseScheduleConfig Validate(string source = "scheduler config")
    {
        if (BetaSchedule is not ("scaled_linear" or "linear"))
        {
            throw new InvalidDataException($"{source}: beta_schedule '{BetaSchedule}' is not supported; use scaled_linear or linear.");
        }

        if (PredictionType is not ("epsilon" or "v_prediction"))
        {
            throw new InvalidDataException($"{source}: prediction_type '{PredictionType}' is not supported; use epsilon or v_prediction.");
        }

        if (TimestepSpacing is not ("leading" or "linspace" or "trailing"))
        {
            throw new InvalidDataException($"{source}: timestep_spacing '{TimestepSpacing}' is not supported; use leading, linspace or trailing.");
        }

        return this;
    }

    /// <summary>Cumulative products of (1 - beta) over the training timesteps, in double precision.</summary>
    public double[] AlphasCumulative()
    {
        var n = TrainTimesteps;
        var result = new double[n];
        var product = 1.0;
        for (var i = 0; i < n; i++)
        {
            var beta = BetaSchedule == "linear"
                ? BetaStart + (BetaEnd - BetaStart) * i / (n - 1)
                : Math.Pow(Math.Sqrt(BetaStart) + (Math.Sqrt(BetaEnd) - Math.Sqrt(BetaStart)) * i / (n - 1), 2);
            product *= 1 - beta;
            result[i] = product;
        }

        return result;
    }

    /// <summary>The most inference steps this schedule takes: with "leading" spacing the steps' offset shifts every
    /// timestep up, so the noisiest must stay below <see cref="TrainTimesteps"/> (999 steps for Stable Diffusion's 1000
    /// with offset 1).</summary>
    public int MaxSteps => TimestepSpacing is "linspace" or "trailing" ? TrainTimesteps : TrainTimesteps - Math.Max(0, StepsOffset);

    /// <summary>The inference timesteps for <paramref name="steps"/> steps, from noisiest to cleanest, as diffusers spaces them.</summary>
    public int[] InferenceTimesteps(int steps)
    {
        if (steps < 1 || steps > MaxSteps)
        {
            throw new ArgumentOutOfRangeException(nameof(steps), steps, $"Steps must be from 1 to {MaxSteps}.");
        }

        var result = new int[steps];
        switch (TimestepSpacing)
        {
            case "linspace":
                for (var i = 0; i < steps; i++)
                {
                    result[i] = (int)Math.Round((TrainTimesteps - 1) * (double)(steps - 1 - i) / Math.Max(1, steps - 1));
                }

                break;
            case "trailing":
                var ratio = (double)TrainTimesteps / steps;
                for (var i = 0; i < steps; i++)
                {
                    result[i] = (int)Math.Round(TrainTimesteps - i * ratio) - 1;
                }

                break;
            default:
                var stepRatio = TrainTimesteps / steps;
                for (var i = 0; i < steps; i++)
                {
                    result[i] = (steps - 1 - i) * stepRatio + StepsOffset;
                }

                break;
        }

        return result;
    }
}
