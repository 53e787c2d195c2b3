using Meg.Diffusion.Pipeline;
using Meg.Imaging;
using Xunit.Abstractions;

namespace Meg.Experiments.Tests;

/// <summary>The shipped model's CLIP-style pair ranks the true caption of real held-out scenes against wrong ones.</summary>
[Trait("Category", "Slow")]
public sealed class CaptionRankTests(ITestOutputHelper output) : IDisposable
{
    // Measured on the shipped model (CLIP pair of 2026-12-07), first 32 real scenes (all 256 in brackets): top-1
    // against every negative 87.5% (88.7%); against the generator's negatives that no C# change duplicates 100%
    // (99.6%); the true caption beats the swapped-background one on 17 of 17 two-tone scenes (82 of 82); it lost to
    // a shape-colour swap on 2 scenes (13) and to a recolouring on 3 (21). The floors sit well below the measurements
    // so retraining does not trip them.
    private const double Top1FloorAgainstGeneratorNegatives = 0.85;
    private const double Top1FloorAgainstAllNegatives = 0.6;

    private const int ItemsChecked = 32;

    private readonly ClipStyleScorer _scorer = ClipStyleScorer.TryLoad(RepositoryLayout.ShippedModel)
                                               ?? throw new InvalidOperationException("The shipped model has an image encoder.");

    private readonly EvaluationSet _scenes = EvaluationSet.Load(Path.Combine(RepositoryLayout.ShippedModel, "eval"));

    [Fact]
    public void The_true_caption_of_real_scenes_ranks_first_against_recolourings_and_two_tone_scenes_meet_their_swapped_halves()
    {
        var items = _scenes.Items.Take(ItemsChecked).ToArray();
        var results = items.Select(item => (Item: item, Result: CaptionRank.For(_scorer, item, _scenes.Palette.Keys).Rank(item.LoadImage()))).ToArray();

        double Share(Func<CaptionRankResult, bool> won) => results.Count(r => won(r.Result)) / (double)results.Length;
        var top1 = Share(r => r.IsTop1);
        var top1AgainstGenerator = Share(r => !r.LostTo.Contains(CaptionChange.Generator));
        var twoTone = results.Where(r => r.Item.Background.Distinct().Count() == 2).ToArray();
        output.WriteLine($"top-1 {top1:P1} against all negatives, {top1AgainstGenerator:P1} against the generator's, of {results.Length} scenes");
        output.WriteLine($"beats the swapped background on {twoTone.Count(r => r.Result.BeatsSwappedBackground == true)} of {twoTone.Length} two-tone scenes");
        foreach (var change in Enum.GetValues<CaptionChange>())
        {
            output.WriteLine($"  lost to {change} on {results.Count(r => r.Result.LostTo.Contains(change))}");
        }

        Assert.True(top1AgainstGenerator >= Top1FloorAgainstGeneratorNegatives, $"top-1 against the generator's negatives {top1AgainstGenerator:P1} is below {Top1FloorAgainstGeneratorNegatives:P0}");
        Assert.True(top1 >= Top1FloorAgainstAllNegatives, $"top-1 against all negatives {top1:P1} is below {Top1FloorAgainstAllNegatives:P0}");
        Assert.All(results, r => Assert.Equal(r.Result.IsTop1, r.Result.LostTo.Count == 0));
        Assert.NotEmpty(twoTone);
        Assert.All(twoTone, r => Assert.NotNull(r.Result.BeatsSwappedBackground));
        Assert.All(results.Except(twoTone), r => Assert.Null(r.Result.BeatsSwappedBackground));
    }

    [Fact]
    public void Ranking_a_batch_gives_each_images_own_rank_and_the_scores_match_the_scorer()
    {
        var item = _scenes.Items.First(i => i.Background.Distinct().Count() == 2);
        var rank = CaptionRank.For(_scorer, item, _scenes.Palette.Keys);
        var image = item.LoadImage();
        RgbImage[] images = [image, _scenes.Items.First(i => i.Id != item.Id).LoadImage(), image];

        var batch = rank.Ranks(images);
        var single = rank.Rank(image);

        Assert.Equal(3, batch.Count);
        Assert.Equal(single.Rank, batch[0].Rank);
        Assert.Equal(single.TrueScore, batch[2].TrueScore, 5);
        Assert.Equal(_scorer.Score(image, item.Caption), single.TrueScore, 5);
        Assert.Equal(1 + rank.Negatives.Count, single.Candidates);
        Assert.True(batch[1].TrueScore < single.TrueScore, "another scene's image matches this caption less well");
    }

    public void Dispose() => _scorer.Dispose();
}
