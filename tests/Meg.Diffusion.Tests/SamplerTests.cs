using Meg.Diffusion.Samplers;

namespace Meg.Diffusion.Tests;

public class SamplerTests
{
    private static readonly NoiseScheduleConfig StableDiffusion = new();

    [Fact]
    public void Leading_spacing_gives_the_timesteps_diffusers_gives_for_stable_diffusion()
    {
        // diffusers DDIMScheduler(steps_offset=1, timestep_spacing="leading").set_timesteps(20)
        Assert.Equal([951, 901, 851, 801, 751, 701, 651, 601, 551, 501, 451, 401, 351, 301, 251, 201, 151, 101, 51, 1],
            StableDiffusion.InferenceTimesteps(20));
    }

    [Fact]
    public void The_scaled_linear_schedule_matches_stable_diffusions_alphas()
    {
        var alphas = StableDiffusion.AlphasCumulative();

        Assert.Equal(0.99915, alphas[0], 6);
        Assert.Equal(0.00466, alphas[999], 5); // SD-1.5's final cumulative alpha
    }

    [Theory]
    [InlineData("ddim")]
    [InlineData("euler")]
    public void A_perfect_noise_prediction_recovers_the_clean_latent(string name)
    {
        var sampler = SamplerFactory.Create(name, StableDiffusion, 10);
        var clean = Enumerable.Range(0, 16).Select(i => (float)Math.Sin(i)).ToArray();
        var noise = Enumerable.Range(0, 16).Select(i => (float)Math.Cos(3 * i)).ToArray();
        var latent = (float[])clean.Clone();
        sampler.AddNoise(latent, noise, 0);
        if (name == "euler")
        {
            // Euler's noisy latent is x0 + sigma * eps; DDIM's is sqrt(a) x0 + sqrt(1-a) eps.
            Assert.NotEqual(clean[1], latent[1]);
        }

        var scaled = new float[16];
        for (var step = 0; step < sampler.Steps; step++)
        {
            sampler.ScaleModelInput(latent, scaled, step);
            sampler.Step(latent, noise, step);
        }

        // DDIM's last step lands on alpha_0 (set_alpha_to_one = false), a hair of noise above clean; Euler's on sigma 0.
        var a0 = StableDiffusion.AlphasCumulative()[0];
        for (var i = 0; i < clean.Length; i++)
        {
            var expected = name == "ddim" ? Math.Sqrt(a0) * clean[i] + Math.Sqrt(1 - a0) * noise[i] : clean[i];
            Assert.Equal(expected, latent[i], 1e-3);
        }
    }

    [Fact]
    public void An_unknown_scheduler_is_rejected_with_the_known_names()
    {
        var error = Assert.Throws<ArgumentException>(() => SamplerFactory.Create("pndm", StableDiffusion, 10));

        Assert.Contains("ddim, euler", error.Message);
    }
}
