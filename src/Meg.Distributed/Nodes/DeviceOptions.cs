namespace Meg.Distributed.Nodes;

/// <summary>The user devices the ue-proxy plays (configuration "Meg").</summary>
public sealed class DeviceOptions
{
    /// <summary>A device's speed against this machine's, in (0, 1]: 0.25 is a phone a quarter as fast, whose stages take
    /// four times as long. Each stage is computed for real and its result held back for the difference.</summary>
    public double UeSpeed { get; set; } = 1;

    public DeviceOptions Validate() => UeSpeed is > 0 and <= 1 && double.IsFinite(UeSpeed)
        ? this
        : throw new InvalidOperationException($"Meg:UeSpeed must be in (0, 1] (1: as fast as this machine); got {UeSpeed}.");
}
