namespace Meg.Experiments;

/// <summary>
/// A held-out scene's caption taken apart by the generator's grammar, so colours can be changed in place:
/// shape phrases joined by " and " ("a big red diamond at the top left"), then " on a " and the background
/// ("white"; two-tone "white top and green bottom", or "white and green" in sets written before the halves were
/// named) and " background". Each colour is found by position (the word before the shape's kind, the background
/// slots), not by searching the text, so "green" in one phrase never moves another.
/// </summary>
internal sealed class SceneCaption
{
    private const string BackgroundOpening = " on a ";
    private const string BackgroundClosing = " background";
    private const string Joiner = " and ";

    private readonly string[][] _shapeWords;
    private readonly int[] _colourIndex;

    private readonly bool _halvesNamed;

    private SceneCaption(string[][] shapeWords, int[] colourIndex, string[] background, bool halvesNamed)
    {
        _shapeWords = shapeWords;
        _colourIndex = colourIndex;
        Background = background;
        _halvesNamed = halvesNamed;
    }

    public int ShapeCount => _shapeWords.Length;

    public IReadOnlyList<string> Background { get; }

    public string ShapeColour(int shape) => _shapeWords[shape][_colourIndex[shape]];

    /// <summary>
    /// The parts of <paramref name="item"/>'s caption, or null when the caption does not follow the grammar with the
    /// item's own shapes and background (then no structural change can be trusted).
    /// </summary>
    public static SceneCaption? TryParse(EvaluationItem item)
    {
        var caption = item.Caption;
        var opening = caption.LastIndexOf(BackgroundOpening, StringComparison.Ordinal);
        if (opening < 0 || !caption.EndsWith(BackgroundClosing, StringComparison.Ordinal) || item.Shapes.Count == 0
            || item.Background.Count is < 1 or > 2)
        {
            return null;
        }

        var backgroundText = caption[(opening + BackgroundOpening.Length)..^BackgroundClosing.Length];
        var halvesNamed = item.Background.Count == 2 && backgroundText == BackgroundText(item.Background, halvesNamed: true);
        if (!halvesNamed && backgroundText != BackgroundText(item.Background, halvesNamed: false))
        {
            return null;
        }

        var phrases = caption[..opening].Split(Joiner);
        if (phrases.Length != item.Shapes.Count)
        {
            return null;
        }

        var words = phrases.Select(p => p.Split(' ')).ToArray();
        var colourIndex = new int[words.Length];
        for (var i = 0; i < words.Length; i++)
        {
            // The colour is the adjective right before the kind: "a big red diamond".
            var shape = item.Shapes[i];
            colourIndex[i] = Enumerable.Range(0, words[i].Length - 1)
                .FirstOrDefault(k => words[i][k] == shape.Colour && words[i][k + 1] == shape.Kind, -1);
            if (colourIndex[i] < 0)
            {
                return null;
            }
        }

        var parsed = new SceneCaption(words, colourIndex, [.. item.Background], halvesNamed);
        return parsed.Render() == caption ? parsed : null;
    }

    /// <summary>The caption with shape colours <paramref name="shapeColours"/> (null: unchanged) and
    /// background <paramref name="background"/> (null: unchanged).</summary>
    public string Render(IReadOnlyList<string>? shapeColours = null, IReadOnlyList<string>? background = null)
    {
        var phrases = _shapeWords.Select((words, i) =>
        {
            if (shapeColours is null)
            {
                return string.Join(' ', words);
            }

            var changed = (string[])words.Clone();
            changed[_colourIndex[i]] = shapeColours[i];
            return string.Join(' ', changed);
        });
        return string.Join(Joiner, phrases) + BackgroundOpening + BackgroundText(background ?? Background, _halvesNamed) + BackgroundClosing;
    }

    private static string BackgroundText(IReadOnlyList<string> background, bool halvesNamed) =>
        halvesNamed && background.Count == 2 ? $"{background[0]} top{Joiner}{background[1]} bottom" : string.Join(Joiner, background);

    /// <summary>The current shape colours, in shape order (a copy to change).</summary>
    public string[] ShapeColours() => Enumerable.Range(0, ShapeCount).Select(ShapeColour).ToArray();
}
