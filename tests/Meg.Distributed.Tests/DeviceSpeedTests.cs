using Meg.Distributed.Nodes;
using Meg.Distributed.Jobs;
using Microsoft.Extensions.DependencyInjection;

namespace Meg.Distributed.Tests;

/// <summary>The user devices' speed setting (Meg:UeSpeed) takes only what a slower-or-equal device can mean.</summary>
public sealed class DeviceSpeedTests
{
    [Theory]
    [InlineData(2.0)]
    [InlineData(0.0)]
    [InlineData(-0.5)]
    [InlineData(double.NaN)]
    public void A_speed_outside_zero_to_one_is_refused_naming_the_setting(double speed) =>
        Assert.Contains("Meg:UeSpeed must be in (0, 1]", Assert.Throws<InvalidOperationException>(() => new DeviceOptions { UeSpeed = speed }.Validate()).Message);

    [Theory]
    [InlineData(1.0)]
    [InlineData(0.25)]
    public void A_speed_in_range_is_kept(double speed) => Assert.Equal(speed, new DeviceOptions { UeSpeed = speed }.Validate().UeSpeed);
}

/// <summary>A slower device is computed for real and then held: the job really waits the difference.</summary>
public sealed class DeviceSpeedHoldTests
{
    [Fact]
    public async Task A_device_a_hundred_times_slower_takes_its_time_and_reports_it()
    {
        var fast = await UeTimesAsync(1);
        var slow = await UeTimesAsync(0.01);

        // Nominally 100x; the raw compute of the fixture's tiny stages varies by a few times from run to run (the least of
        // three jobs is compared, so a busy moment on the shared cores does not decide it).
        Assert.True(slow.Compute >= 10 * fast.Compute, $"UE compute {slow.Compute:0.0} ms at speed 0.01 against {fast.Compute:0.0} ms at speed 1.");
        // The hold is waited, not only written down: each UE step's service time covers most of its stretched compute (the
        // delay's timer is whole milliseconds, a few short on a short step; without the wait it would be a hundredth).
        Assert.All(slow.Steps, s => Assert.True(s.ServiceMs >= 0.5 * s.ComputeMs, $"{s.Description}: service {s.ServiceMs:0.0} ms < compute {s.ComputeMs:0.0} ms"));
        Assert.True(slow.ElapsedMs >= 0.5 * slow.Compute, $"The job took {slow.ElapsedMs:0} ms but its UE stages report {slow.Compute:0} ms of compute.");
    }

    private static async Task<(double Compute, double ElapsedMs, IReadOnlyList<StepRecord> Steps)> UeTimesAsync(double speed)
    {
        await using var system = await InMemorySystem.StartAsync(settings: new Dictionary<string, string?>
        {
            ["Meg:UeSpeed"] = speed.ToString(System.Globalization.CultureInfo.InvariantCulture),
        });
        var model = system.Provider.GetRequiredService<ModelHost>();
        var measured = new List<(double Compute, double ElapsedMs, IReadOnlyList<StepRecord> Steps)>();
        // The first job warms the model's sessions up; the next three are measured. CIAG: the UE denoises too.
        for (var run = 0; run < 4; run++)
        {
            var spec = InMemoryJobTests.Spec(model, "CIAG");
            await system.SubmitAsync(spec, InMemoryJobTests.Sketch);
            var status = await system.WaitForEndAsync(spec.Id);
            Assert.Equal(JobStates.Completed, status.State);
            var ue = status.Steps.Where(s => s.Kind == "stage" && s.Node == "UE").ToArray();
            Assert.NotEmpty(ue);
            if (run > 0)
            {
                measured.Add((ue.Sum(s => s.ComputeMs), (status.FinishedAt!.Value - status.SubmittedAt).TotalMilliseconds, ue));
            }
        }

        return measured.MinBy(m => m.Compute);
    }
}
