namespace Meg.Experiments;

/// <summary>
/// Wrong captions for a held-out scene, for ranking the true caption against them with the CLIP-style pair. A plain
/// cosine score cannot tell a right image from one with the background halves swapped (the model's main failure);
/// ranking against exactly that caption can.
/// </summary>
public static class CaptionNegatives
{
    /// <summary>
    /// The negatives of <paramref name="item"/>, in this order: the background halves swapped (two different colours
    /// only); each pair of differently coloured shapes with their colours swapped; each shape recoloured with every
    /// other colour of <paramref name="paletteColours"/>; then the generator's own negatives. Duplicates keep their
    /// first (most specific) change, and the true caption is never among them. When the caption does not follow the
    /// generator's grammar, only the generator's negatives are returned.
    /// </summary>
    /// <param name="item">The scene, with its caption, background, shapes and the generator's negatives.</param>
    /// <param name="paletteColours">Colour words to recolour shapes with, e.g. the keys of <see cref="EvaluationSet.Palette"/>.</param>
    public static IReadOnlyList<CaptionNegative> For(EvaluationItem item, IEnumerable<string> paletteColours)
    {
        ArgumentNullException.ThrowIfNull(item);
        ArgumentNullException.ThrowIfNull(paletteColours);
        var palette = paletteColours.ToArray();
        var negatives = new List<CaptionNegative>();
        var seen = new HashSet<string>(StringComparer.Ordinal) { item.Caption };
        void Add(string caption, CaptionChange change)
        {
            if (seen.Add(caption))
            {
                negatives.Add(new CaptionNegative(caption, change));
            }
        }

        if (SceneCaption.TryParse(item) is { } scene)
        {
            if (scene.Background is [var top, var bottom] && top != bottom)
            {
                Add(scene.Render(background: [bottom, top]), CaptionChange.BackgroundSwapped);
            }

            for (var i = 0; i < scene.ShapeCount; i++)
            {
                for (var j = i + 1; j < scene.ShapeCount; j++)
                {
                    if (scene.ShapeColour(i) != scene.ShapeColour(j))
                    {
                        var swapped = scene.ShapeColours();
                        (swapped[i], swapped[j]) = (swapped[j], swapped[i]);
                        Add(scene.Render(swapped), CaptionChange.ShapeColoursSwapped);
                    }
                }
            }

            for (var i = 0; i < scene.ShapeCount; i++)
            {
                foreach (var colour in palette.Where(c => c != scene.ShapeColour(i)))
                {
                    var recoloured = scene.ShapeColours();
                    recoloured[i] = colour;
                    Add(scene.Render(recoloured), CaptionChange.ShapeRecoloured);
                }
            }
        }

        foreach (var caption in item.NegativeCaptions)
        {
            Add(caption, CaptionChange.Generator);
        }

        return negatives;
    }
}
