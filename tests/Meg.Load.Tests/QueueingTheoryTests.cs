using Meg.Load.Theory;

namespace Meg.Load.Tests;

/// <summary>The theory's waits against closed forms.</summary>
public sealed class QueueingTheoryTests
{
    [Theory]
    [InlineData(0.5)]
    [InlineData(0.7)]
    [InlineData(0.85)]
    public void One_server_matches_the_textbook_MM1_and_MD1_waits(double rho)
    {
        const double service = 200; // ms
        var rate = rho / service;

        Assert.Equal(rho * service / (1 - rho), QueueingTheory.WaitMMc(rate, service, 1), 9);
        // Pollaczek-Khinchine with deterministic service: half the M/M/1 wait.
        Assert.Equal(rho * service / (2 * (1 - rho)), QueueingTheory.WaitMDc(rate, service, 1), 9);
    }

    [Fact]
    public void Erlang_C_for_two_servers_at_one_erlang_is_one_third() =>
        Assert.Equal(1.0 / 3, QueueingTheory.ProbabilityOfWaiting(1, 2), 12);

    [Fact]
    public void Two_servers_wait_less_than_one_of_twice_the_speed_would_not_and_MDc_stays_below_MMc()
    {
        // M/M/2 at rho 0.5 (a = 1): Wq = C * S / (c (1 - rho)) = (1/3) * S / 1.
        Assert.Equal(100.0 / 3, QueueingTheory.WaitMMc(0.01, 100, 2), 9);
        Assert.InRange(QueueingTheory.WaitMDc(0.01, 100, 2), 0.5 * 100.0 / 3, 100.0 / 3);
    }

    [Fact]
    public void Allen_Cunneen_is_MMc_for_Poisson_arrivals_and_exponential_service_and_scales_with_the_scvs()
    {
        var mmc = QueueingTheory.WaitMMc(0.015, 100, 2);

        Assert.Equal(mmc, QueueingTheory.WaitGGc(0.015, 100, 2, 1, 1), 9);
        Assert.Equal(mmc / 2, QueueingTheory.WaitGGc(0.015, 100, 2, 1, 0), 9);
        Assert.Equal(2 * mmc, QueueingTheory.WaitGGc(0.015, 100, 2, 4, 0), 9);
    }

    [Fact]
    public void Past_saturation_there_is_no_steady_wait()
    {
        Assert.True(double.IsNaN(QueueingTheory.WaitMMc(0.02, 100, 2)));
        Assert.True(double.IsNaN(QueueingTheory.WaitMDc(0.03, 100, 2)));
        Assert.Equal(1, QueueingTheory.ProbabilityOfWaiting(3, 2));
    }

    [Fact]
    public void Littles_law_multiplies_rate_by_wait() => Assert.Equal(3, QueueingTheory.QueueLength(0.01, 300), 12);
}
