using Meg.Distributed.Admission;

namespace Meg.Distributed.Tests;

/// <summary>ES roles go to the least-loaded instances, each role on its own instance.</summary>
public sealed class EdgePlacementTests
{
    [Fact]
    public void A_single_edge_job_goes_to_the_least_loaded_instance()
    {
        var load = new Dictionary<int, double> { [1] = 80, [2] = 40, [3] = 120 };

        Assert.Equal([2], EdgePlacement.Choose([42], load, 3));
    }

    [Fact]
    public void With_no_load_the_named_instance_wins_so_placement_is_repeatable()
    {
        Assert.Equal([1], EdgePlacement.Choose([42], new Dictionary<int, double>(), 2));
        Assert.Equal([2], EdgePlacement.Choose([42], new Dictionary<int, double>(), 2, firstOnTie: 2));
    }

    [Fact]
    public void Ties_wrap_round_from_the_named_instance()
    {
        var load = new Dictionary<int, double> { [1] = 0, [2] = 5, [3] = 0 };

        Assert.Equal([1, 3], EdgePlacement.Choose([40, 21], load, 3, firstOnTie: 1));
        Assert.Equal([3, 1], EdgePlacement.Choose([40, 21], load, 3, firstOnTie: 2)); // after 2 (loaded) comes 3
        Assert.Equal([3, 1], EdgePlacement.Choose([40, 21], load, 3, firstOnTie: 3));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(3)]
    public void A_tie_break_outside_the_instances_is_refused(int firstOnTie) =>
        Assert.Contains("must be in 1..2", Assert.Throws<ArgumentOutOfRangeException>(() => EdgePlacement.Choose([1], new Dictionary<int, double>(), 2, firstOnTie)).Message);

    [Fact]
    public void The_heaviest_role_gets_the_least_loaded_instance_and_no_instance_plays_two_roles()
    {
        var load = new Dictionary<int, double> { [1] = 10, [2] = 0, [3] = 50 };

        var chosen = EdgePlacement.Choose([21, 40], load, 3);

        Assert.Equal([1, 2], chosen); // role 2 (40) on instance 2 (0), role 1 (21) on instance 1 (10)
    }

    [Fact]
    public void A_plan_with_more_roles_than_instances_is_refused_naming_both() =>
        Assert.Contains("uses 3 edge servers but the deployment runs 2",
            Assert.Throws<ArgumentException>(() => EdgePlacement.Choose([1, 1, 1], new Dictionary<int, double>(), 2)).Message);

    [Fact]
    public void Successive_jobs_placed_with_their_load_alternate_over_the_instances()
    {
        var load = new Dictionary<int, double>();
        var used = new List<int>();
        for (var job = 0; job < 6; job++)
        {
            var instance = EdgePlacement.Choose([42], load, 3)[0];
            load[instance] = load.GetValueOrDefault(instance) + 42;
            used.Add(instance);
        }

        Assert.Equal([1, 2, 3, 1, 2, 3], used);
    }
}
