namespace Meg.Experiments.Tests;

/// <summary>The shipped held-out sets as the C# side reads them: the drawn set says each sketch's pen, the generator's does not.</summary>
public sealed class EvaluationSetTests
{
    [Fact]
    public void The_drawn_set_records_a_pen_width_of_1_to_4_pixels_for_every_item_and_uses_each_width()
    {
        var drawn = EvaluationSet.Load(Path.Combine(RepositoryLayout.ShippedModel, "eval_drawn"));

        Assert.Equal(256, drawn.Items.Count);
        Assert.All(drawn.Items, item => Assert.InRange(item.PenWidth ?? double.NaN, 1.0, 4.0));
        Assert.Equal([1.0, 2.0, 3.0, 4.0], drawn.Items.Select(i => i.PenWidth!.Value).Distinct().Order());
        Assert.All(drawn.Items, item => Assert.True(File.Exists(item.SketchPath), $"{item.SketchPath} is missing"));
    }

    [Fact]
    public void The_generators_set_has_no_pen_widths_so_its_scores_are_not_split_by_pen()
    {
        var generator = EvaluationSet.Load(Path.Combine(RepositoryLayout.ShippedModel, "eval"));

        Assert.Equal(256, generator.Items.Count);
        Assert.All(generator.Items, item => Assert.Null(item.PenWidth));
    }
}
