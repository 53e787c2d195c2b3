namespace Meg.Experiments.Tests;

/// <summary>Wrong captions made from the shipped model's held-out scenes by changing colours in place.</summary>
public sealed class CaptionNegativesTests
{
    private static readonly EvaluationSet Scenes = EvaluationSet.Load(Path.Combine(RepositoryLayout.ShippedModel, "eval"));

    private static IReadOnlyList<CaptionNegative> NegativesOf(EvaluationItem item) => CaptionNegatives.For(item, Scenes.Palette.Keys);

    [Fact]
    public void A_two_tone_scene_gets_its_background_halves_swapped_and_its_shape_colours_swapped_and_replaced()
    {
        var item = Scenes.Items[0]; // a medium blue diamond ... and a big orange diamond ... on a white top and green bottom background
        Assert.Equal("a medium blue diamond in the center and a big orange diamond on the left on a white top and green bottom background", item.Caption);

        var negatives = NegativesOf(item);

        Assert.Equal(
            new CaptionNegative("a medium blue diamond in the center and a big orange diamond on the left on a green top and white bottom background", CaptionChange.BackgroundSwapped),
            negatives[0]);
        Assert.Contains(new CaptionNegative("a medium orange diamond in the center and a big blue diamond on the left on a white top and green bottom background", CaptionChange.ShapeColoursSwapped), negatives);
        Assert.Contains(new CaptionNegative("a medium red diamond in the center and a big orange diamond on the left on a white top and green bottom background", CaptionChange.ShapeRecoloured), negatives);
        Assert.Contains(new CaptionNegative("a medium blue diamond in the center and a big purple diamond on the left on a white top and green bottom background", CaptionChange.ShapeRecoloured), negatives);
        Assert.All(item.NegativeCaptions, caption => Assert.Contains(negatives, n => n.Caption == caption));
    }

    [Fact]
    public void Every_held_out_scene_gets_the_changes_its_colours_allow_without_duplicates_or_its_own_caption()
    {
        var paletteSize = Scenes.Palette.Count;
        Assert.True(paletteSize >= 2, "the shipped evaluation set lists its palette");
        foreach (var item in Scenes.Items)
        {
            var negatives = NegativesOf(item);
            var twoTone = item.Background.Count == 2 && item.Background[0] != item.Background[1];
            var swappablePairs = Pairs(item.Shapes.Count).Count(p => item.Shapes[p.I].Colour != item.Shapes[p.J].Colour);

            Assert.DoesNotContain(negatives, n => n.Caption == item.Caption);
            Assert.Equal(negatives.Count, negatives.Select(n => n.Caption).Distinct().Count());
            Assert.Equal(twoTone ? 1 : 0, negatives.Count(n => n.Change == CaptionChange.BackgroundSwapped));
            Assert.Equal(swappablePairs, negatives.Count(n => n.Change == CaptionChange.ShapeColoursSwapped));
            // Each shape in every other palette colour: all distinct captions, since phrases differ in place or in colour.
            Assert.Equal(item.Shapes.Count * (paletteSize - 1), negatives.Count(n => n.Change == CaptionChange.ShapeRecoloured));
            Assert.All(item.NegativeCaptions.Where(c => c != item.Caption), c => Assert.Contains(negatives, n => n.Caption == c));
        }
    }

    [Fact]
    public void Only_the_colour_word_of_the_changed_shape_moves_even_when_another_phrase_has_the_same_colour()
    {
        // Scene 35: two yellow shapes and a red diamond on purple; recolouring the third shape must leave the first alone.
        var item = Scenes.Items[35];
        Assert.Equal("a small yellow diamond in the center and a big red diamond in the center and a small yellow square in the center on a purple background", item.Caption);

        var negatives = NegativesOf(item);

        Assert.Contains(new CaptionNegative("a small yellow diamond in the center and a big red diamond in the center and a small green square in the center on a purple background", CaptionChange.ShapeRecoloured), negatives);
        Assert.Contains(new CaptionNegative("a small red diamond in the center and a big yellow diamond in the center and a small yellow square in the center on a purple background", CaptionChange.ShapeColoursSwapped), negatives);
        Assert.DoesNotContain(negatives, n => n.Change == CaptionChange.BackgroundSwapped);
    }

    [Fact]
    public void A_background_whose_halves_are_named_is_swapped_in_the_same_words()
    {
        var item = new EvaluationItem(98, "a big red circle in the center on a yellow top and blue bottom background", ["yellow", "blue"], [new EvaluationShape("circle", "red", 1)]);

        var negatives = NegativesOf(item);

        Assert.Equal(new CaptionNegative("a big red circle in the center on a blue top and yellow bottom background", CaptionChange.BackgroundSwapped), negatives[0]);
        Assert.Contains(new CaptionNegative("a big green circle in the center on a yellow top and blue bottom background", CaptionChange.ShapeRecoloured), negatives);
    }

    [Fact]
    public void A_caption_outside_the_grammar_keeps_only_the_generators_negatives_without_its_own_caption()
    {
        var item = new EvaluationItem(99, "a picture of a red circle", ["white"], [new EvaluationShape("circle", "red", 1)])
        {
            NegativeCaptions = ["a picture of a blue circle", "a picture of a red circle", "a picture of a blue circle"],
        };

        var negatives = NegativesOf(item);

        Assert.Equal([new CaptionNegative("a picture of a blue circle", CaptionChange.Generator)], negatives);
    }

    [Fact]
    public void A_caption_that_disagrees_with_its_shapes_is_not_changed_structurally()
    {
        var item = Scenes.Items[0] with { Shapes = [new EvaluationShape("circle", "red", 1), new EvaluationShape("star", "yellow", 2)] };

        Assert.All(NegativesOf(item), n => Assert.Equal(CaptionChange.Generator, n.Change));
    }

    private static IEnumerable<(int I, int J)> Pairs(int count) =>
        from i in Enumerable.Range(0, count) from j in Enumerable.Range(i + 1, count - i - 1) select (i, j);
}
