namespace Meg.Channel.Randomness;

/// <summary>
/// A source of standard normal floats, <see cref="GaussianBatch.Size"/> per call. Implementations differ only in
/// vector width and produce identical values for the same seed.
/// </summary>
internal interface IGaussianBatch
{
    /// <summary>Writes the next <see cref="GaussianBatch.Size"/> values starting at <paramref name="destination"/>.</summary>
    void Next(ref float destination);
}
