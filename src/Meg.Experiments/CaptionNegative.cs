namespace Meg.Experiments;

/// <summary>A wrong caption for a scene, and how it was made from the true one.</summary>
public sealed record CaptionNegative(string Caption, CaptionChange Change);
