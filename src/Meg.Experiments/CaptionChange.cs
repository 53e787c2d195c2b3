namespace Meg.Experiments;

/// <summary>How a negative caption differs from a scene's true caption.</summary>
public enum CaptionChange
{
    /// <summary>The two background halves swapped ("white top and green bottom" to "green top and white bottom"): the old model's typical mistake.</summary>
    BackgroundSwapped,

    /// <summary>The colours of two shapes swapped, each shape keeping its kind, size and position.</summary>
    ShapeColoursSwapped,

    /// <summary>One shape's colour replaced by another palette colour.</summary>
    ShapeRecoloured,

    /// <summary>Written by the scene generator (recoloured same-layout captions in items.json).</summary>
    Generator,
}
