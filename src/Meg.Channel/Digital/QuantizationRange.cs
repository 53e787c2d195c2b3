namespace Meg.Channel.Digital;

/// <summary>The side information of <see cref="UniformQuantizer"/>: the payload's minimum and maximum.</summary>
/// <param name="Min">Value of level 0.</param>
/// <param name="Max">Value of the top level.</param>
public readonly record struct QuantizationRange(float Min, float Max);
