using Meg.Imaging;

namespace Meg.Experiments.Tests;

/// <summary>The pixel checks tell a filled shape from a ring of its colour around the background and from a fill of the wrong
/// colour, as the training tool's do.</summary>
public sealed class SceneChecksTests
{
    private static readonly Rgb Red = new(220, 40, 40);
    private static readonly Rgb Blue = new(40, 80, 220);

    private static readonly SceneChecks Checks = new(new Dictionary<string, int[]>
    {
        ["red"] = [220, 40, 40],
        ["blue"] = [40, 80, 220],
    });

    private static readonly EvaluationItem Item = new(0, "a medium red square in the center on a blue background", ["blue"], [new EvaluationShape("square", "red", 1)]);

    // A 20-px square in the middle of a 64-px scene.
    private static readonly RgbImage Mask = RgbImage.Create(64, 64, (x, y) => InSquare(x, y, 0) ? new Rgb(1, 1, 1) : new Rgb(0, 0, 0));

    [Fact]
    public void A_filled_shape_passes_every_check()
    {
        var image = RgbImage.Create(64, 64, (x, y) => InSquare(x, y, 0) ? Red : Blue);

        var outcome = Checks.Check(image, Item, Mask);

        Assert.True(outcome.ColoursObeyed);
        Assert.Equal([true], outcome.ShapesFilled);
        Assert.Equal([true], outcome.ShapesSolid);
        Assert.Equal([false], outcome.ShapesRing);
        Assert.Equal(1.0, outcome.LayoutIou, 6);
    }

    [Fact]
    public void A_ring_of_the_right_colour_around_the_background_is_not_filled_though_its_colour_wins_the_vote()
    {
        // A 3-px red outline with the blue background inside (what the old model drew for outlines): 204 red pixels of
        // 400 win the shape's colour vote, so only the fill check sees the ring.
        var image = RgbImage.Create(64, 64, (x, y) => InSquare(x, y, 0) && !InSquare(x, y, 3) ? Red : Blue);

        var outcome = Checks.Check(image, Item, Mask);

        Assert.True(outcome.ColoursObeyed);
        Assert.Equal([false], outcome.ShapesFilled);
        Assert.Equal([false], outcome.ShapesSolid);
        Assert.Equal([true], outcome.ShapesRing);
    }

    [Fact]
    public void A_shape_filled_in_another_colour_is_solid_but_neither_filled_nor_a_ring()
    {
        var green = new SceneChecks(new Dictionary<string, int[]> { ["red"] = [220, 40, 40], ["blue"] = [40, 80, 220], ["green"] = [40, 200, 60] });
        var image = RgbImage.Create(64, 64, (x, y) => InSquare(x, y, 0) ? new Rgb(40, 200, 60) : Blue);

        var outcome = green.Check(image, Item, Mask);

        Assert.False(outcome.ColoursObeyed);
        Assert.Equal([false], outcome.ShapesFilled);
        Assert.Equal([true], outcome.ShapesSolid);
        Assert.Equal([false], outcome.ShapesRing);
    }

    [Fact]
    public void A_small_shape_is_judged_by_its_inside_one_pixel_in()
    {
        var mask = RgbImage.Create(64, 64, (x, y) => x is >= 10 and < 14 && y is >= 10 and < 14 ? new Rgb(1, 1, 1) : new Rgb(0, 0, 0));
        var filled = RgbImage.Create(64, 64, (x, y) => x is >= 10 and < 14 && y is >= 10 and < 14 ? Red : Blue);
        var ring = RgbImage.Create(64, 64, (x, y) => x is >= 10 and < 14 && y is >= 10 and < 14 && !(x is 11 or 12 && y is 11 or 12) ? Red : Blue);

        Assert.Equal([true], Checks.Check(filled, Item, mask).ShapesFilled);
        Assert.Equal([false], Checks.Check(ring, Item, mask).ShapesFilled);
        Assert.Equal([true], Checks.Check(ring, Item, mask).ShapesRing);
    }

    private static bool InSquare(int x, int y, int inset) => x >= 22 + inset && x < 42 - inset && y >= 22 + inset && y < 42 - inset;
}
