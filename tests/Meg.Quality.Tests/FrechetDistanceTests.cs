using Meg.Quality;

namespace Meg.Quality.Tests;

public class FrechetDistanceTests
{
    private static List<float[]> Gaussian(int count, int dim, double mean, double std, int seed)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, count).Select(_ => Enumerable.Range(0, dim).Select(_ =>
        {
            var u1 = 1 - random.NextDouble();
            var u2 = random.NextDouble();
            return (float)(mean + std * Math.Sqrt(-2 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2));
        }).ToArray()).ToList();
    }

    [Fact]
    public void A_set_compared_with_itself_is_at_distance_zero()
    {
        var a = Gaussian(50, 6, 0, 1, 1);

        Assert.Equal(0, FrechetDistance.Compute(a, a), 6);
    }

    [Fact]
    public void Shifting_every_feature_by_one_adds_the_dimension_count()
    {
        var a = Gaussian(200, 4, 0, 1, 2);
        var shifted = a.Select(v => v.Select(x => x + 1).ToArray()).ToList();

        Assert.Equal(4, FrechetDistance.Compute(a, shifted), 6);
    }

    [Fact]
    public void Matches_the_closed_form_for_diagonal_gaussians()
    {
        // For covariances s1^2 I and s2^2 I: d * (s1 - s2)^2 (means equal). Large samples keep the estimate close.
        var a = Gaussian(4000, 3, 0, 1, 3);
        var b = Gaussian(4000, 3, 0, 2, 4);

        Assert.Equal(3.0, FrechetDistance.Compute(a, b), 0.3);
    }

    [Fact]
    public void Fewer_samples_than_dimensions_still_give_a_finite_distance()
    {
        var a = Gaussian(5, 20, 0, 1, 5);
        var b = Gaussian(5, 20, 0.5, 1, 6);

        var d = FrechetDistance.Compute(a, b);

        Assert.True(double.IsFinite(d) && d > 0);
    }
}

public class FrechetDistanceSmallSampleTests
{
    [Fact]
    public void The_small_sample_shortcut_agrees_with_the_full_computation()
    {
        // 6 + 6 samples in 11 dimensions take the full path; padding two zero features (13 dimensions)
        // changes nothing in the distance but switches to the small-sample shortcut.
        var random = new Random(9);
        List<float[]> Draw(int n, int d, double shift) => Enumerable.Range(0, n)
            .Select(_ => Enumerable.Range(0, d).Select(_ => (float)(random.NextDouble() + shift)).ToArray()).ToList();
        var a = Draw(6, 11, 0);
        var b = Draw(6, 11, 0.3);
        var full = FrechetDistance.Compute(a, b);
        var padded = (List<float[]> x) => x.Select(v => v.Concat(new float[2]).ToArray()).ToList();
        var shortcut = FrechetDistance.Compute(padded(a), padded(b));

        Assert.Equal(full, shortcut, 6);
    }
}
