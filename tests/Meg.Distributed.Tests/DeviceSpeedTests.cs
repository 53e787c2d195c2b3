using Meg.Distributed.Nodes;

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
