using Meg.Imaging;

namespace Meg.Experiments;

/// <summary>
/// Deterministic pixel checks of a generated scene against its held-out item, defined as the training
/// tool's evaluation defines them: every pixel is classified to the nearest palette colour; the dominant
/// colour inside each shape's mask and of the background (each half when two-tone) must be the caption's;
/// layout IoU compares "not background colour" pixels with the mask's filled shapes; a shape is filled when its inside
/// (its mask eroded by 2 px, by 1 px for small shapes) is at least 75% its colour, solid when its inside is at least 75%
/// one colour that is not the background's (filled in its colour or another: the outline became a shape), and a ring
/// when it is not filled, its inside is at least half background and the rest of its mask at least half its colour (an
/// outline traced around the background, what drawn outlines used to give).
/// </summary>
public sealed class SceneChecks(IReadOnlyDictionary<string, int[]> palette)
{
    private readonly string[] _names = palette.Keys.ToArray();
    private readonly int[][] _colours = palette.Values.ToArray();

    /// <summary>The palette's colour words.</summary>
    public IReadOnlyList<string> ColourNames => _names;

    private const double FilledShare = 0.75;

    private const double RingShare = 0.5;

    /// <summary>The checks' verdicts; the three per-shape fill lists are as the class summary defines them.</summary>
    public sealed record Outcome(bool ColoursObeyed, IReadOnlyList<bool> ShapeColoursOk, IReadOnlyList<bool> BackgroundOk, double LayoutIou,
        IReadOnlyList<bool> ShapesFilled, IReadOnlyList<bool> ShapesSolid, IReadOnlyList<bool> ShapesRing);

    public Outcome Check(RgbImage image, EvaluationItem item, RgbImage mask)
    {
        var labels = Classify(image);
        var width = image.Width;
        var height = image.Height;
        var background = item.Background.Select(Index).ToArray();
        int BackgroundAt(int y) => background.Length == 2 && y >= height / 2 ? background[1] : background[0];
        int MaskAt(int x, int y) => mask[x, y].R;

        var shapesOk = item.Shapes.Select(shape =>
        {
            var votes = new int[_names.Length];
            for (var y = 0; y < height; y++)
            {
                for (var x = 0; x < width; x++)
                {
                    if (MaskAt(x, y) == shape.MaskValue)
                    {
                        votes[labels[y * width + x]]++;
                    }
                }
            }

            return votes.Any(v => v > 0) && ArgMax(votes) == Index(shape.Colour);
        }).ToArray();

        var halves = background.Length == 1 ? new[] { (0, height) } : new[] { (0, height / 2), (height / 2, height) };
        var backgroundOk = halves.Select((half, k) =>
        {
            var votes = new int[_names.Length];
            for (var y = half.Item1; y < half.Item2; y++)
            {
                for (var x = 0; x < width; x++)
                {
                    if (MaskAt(x, y) == 0)
                    {
                        votes[labels[y * width + x]]++;
                    }
                }
            }

            return votes.Any(v => v > 0) && ArgMax(votes) == background[k];
        }).ToArray();

        long both = 0, either = 0;
        for (var y = 0; y < height; y++)
        {
            for (var x = 0; x < width; x++)
            {
                var foreground = labels[y * width + x] != BackgroundAt(y);
                var truth = MaskAt(x, y) > 0;
                both += foreground && truth ? 1 : 0;
                either += foreground || truth ? 1 : 0;
            }
        }

        var iou = (double)both / Math.Max(1, either);
        var fills = item.Shapes.Select(shape => Fill(labels, width, height, mask, shape, BackgroundAt)).ToArray();
        return new Outcome(shapesOk.All(o => o) && backgroundOk.All(o => o), shapesOk, backgroundOk, iou,
            fills.Select(f => f.Filled).ToArray(), fills.Select(f => f.Solid).ToArray(), fills.Select(f => f.Ring).ToArray());
    }

    private (bool Filled, bool Ring, bool Solid) Fill(int[] labels, int width, int height, RgbImage mask, EvaluationShape shape, Func<int, int> backgroundAt)
    {
        var region = new bool[width * height];
        for (var p = 0; p < region.Length; p++)
        {
            region[p] = mask[p % width, p / width].R == shape.MaskValue;
        }

        // 2 px in; 1 px in for small shapes; the whole mask for the smallest.
        var once = Eroded(region, width, height);
        var twice = Eroded(once, width, height);
        var inside = twice.Count(x => x) >= 4 ? twice : once.Any(x => x) ? once : region;

        var colour = Index(shape.Colour);
        int count = 0, same = 0, showing = 0, rim = 0, rimSame = 0;
        var shown = new int[_names.Length]; // inside pixels of each colour where it is not the background's
        for (var p = 0; p < inside.Length; p++)
        {
            if (inside[p])
            {
                count++;
                same += labels[p] == colour ? 1 : 0;
                if (labels[p] == backgroundAt(p / width))
                {
                    showing++;
                }
                else
                {
                    shown[labels[p]]++;
                }
            }
            else if (region[p])
            {
                rim++;
                rimSame += labels[p] == colour ? 1 : 0;
            }
        }

        var filled = count > 0 && same >= FilledShare * count;
        var ring = !filled && count > 0 && rim > 0 && showing >= RingShare * count && rimSame >= RingShare * rim;
        var solid = count > 0 && shown.Max() >= FilledShare * count;
        return (filled, ring, solid);
    }

    /// <summary>Erosion by a 4-neighbourhood, one pixel; outside the image counts as not in the region.</summary>
    private static bool[] Eroded(bool[] region, int width, int height)
    {
        var next = new bool[region.Length];
        for (var y = 0; y < height; y++)
        {
            for (var x = 0; x < width; x++)
            {
                var p = y * width + x;
                next[p] = region[p] && x > 0 && region[p - 1] && x < width - 1 && region[p + 1]
                          && y > 0 && region[p - width] && y < height - 1 && region[p + width];
            }
        }

        return next;
    }

    private int Index(string colour)
    {
        var i = Array.IndexOf(_names, colour);
        return i >= 0 ? i : throw new InvalidDataException($"Colour '{colour}' is not in the evaluation set's palette ({string.Join(", ", _names)}).");
    }

    private int[] Classify(RgbImage image)
    {
        var labels = new int[image.Width * image.Height];
        var pixels = image.Pixels;
        for (var p = 0; p < labels.Length; p++)
        {
            int r = pixels[3 * p], g = pixels[3 * p + 1], b = pixels[3 * p + 2];
            var best = 0;
            var bestDistance = int.MaxValue;
            for (var c = 0; c < _colours.Length; c++)
            {
                int dr = r - _colours[c][0], dg = g - _colours[c][1], db = b - _colours[c][2];
                var d = dr * dr + dg * dg + db * db;
                if (d < bestDistance)
                {
                    bestDistance = d;
                    best = c;
                }
            }

            labels[p] = best;
        }

        return labels;
    }

    /// <summary>First index of the maximum, as numpy's argmax.</summary>
    private static int ArgMax(int[] votes)
    {
        var best = 0;
        for (var i = 1; i < votes.Length; i++)
        {
            if (votes[i] > votes[best])
            {
                best = i;
            }
        }

        return best;
    }
}
