using Meg.Protocols;
using Meg.Protocols.BuiltIn;
using Meg.Protocols.Costs;
using Meg.Protocols.Plans;

namespace Meg.Protocols.Tests;

public class BuiltInPlansTests
{
    public static TheoryData<string> AllNames() => new(ProtocolCatalog.Names);

    [Theory]
    [MemberData(nameof(AllNames))]
    public void Every_built_in_plan_is_valid_and_delivers_every_image_to_the_user(string name)
    {
        var plan = ProtocolCatalog.Build(name, new PlanParameters());

        Assert.Equal(name, plan.Name);
        plan.Validate();
        var delivered = plan.Transfers.Where(t => t.To.IsUserEquipment).SelectMany(t => t.Artifacts)
            .Concat(plan.Stages.Where(s => s.Node.IsUserEquipment).SelectMany(s => s.Outputs(plan)))
            .Count(a => a.Kind == ArtifactKind.Image);
        Assert.Equal(plan.ImagesPerRequest, delivered);
    }

    [Fact]
    public void The_ten_protocols_of_the_paper_are_all_there()
    {
        Assert.Equal(
            ["Centralized", "UIEG", "EIUG", "CIAG", "ESUC", "UIDG", "DIUG", "DSUC", "UIDCG", "DCSUC"],
            ProtocolCatalog.Names);
    }

    [Fact]
    public void For_stable_diffusion_the_seed_needs_48_times_fewer_channel_uses_than_the_image()
    {
        var sd = ModelDimensions.StableDiffusion15;
        var central = PlanCostCalculator.Compute(ProtocolCatalog.Build("Centralized", new PlanParameters { SketchConditioned = false, Strength = 0.75 }), sd);
        var eiug = PlanCostCalculator.Compute(ProtocolCatalog.Build("EIUG", new PlanParameters { SketchConditioned = false, Strength = 0.75 }), sd);

        var imageUses = central.ForLink(LinkKind.Downlink).ChannelUses;
        var seedUses = eiug.ForLink(LinkKind.Downlink).ChannelUses;

        Assert.Equal(393_216, imageUses); // 3 x 512 x 512 real values, two per complex use
        Assert.Equal(8_192, seedUses); // 4 x 64 x 64
        Assert.Equal(48.0, (double)imageUses / seedUses);
    }

    [Fact]
    public void Centralized_places_all_model_work_on_the_edge_server()
    {
        var cost = PlanCostCalculator.Compute(ProtocolCatalog.Build("Centralized", new PlanParameters { TotalSteps = 20 }), ModelDimensions.MegTiny);

        var ue = cost.WorkOf(NodeId.UserEquipment);
        var es = cost.WorkOf(NodeId.EdgeServer(1));
        Assert.True(ue.IsIdle);
        Assert.Equal(40, es.UnetEvaluations); // 20 steps x (conditional + unconditional)
        Assert.Equal(1, es.VaeEncoderRuns);
        Assert.Equal(1, es.VaeDecoderRuns);
    }

    [Fact]
    public void Ciag_splits_the_denoising_steps_between_user_and_server_without_gaps()
    {
        var plan = ProtocolCatalog.Build("CIAG", new PlanParameters { TotalSteps = 20, CiagUserShareBefore = 0.25, CiagEdgeShare = 0.5 });

        var ranges = plan.Stages.Where(s => s.Kind == StageKind.Denoise).Select(s => (s.Node.ToString(), s.FromStep, s.ToStep)).ToArray();
        Assert.Equal([("UE", 0, 5), ("ES1", 5, 15), ("UE", 15, 20)], ranges);
    }

    [Fact]
    public void A_sketch_conditioned_seed_carries_the_input_latent_to_a_server_that_keeps_denoising()
    {
        var plan = ProtocolCatalog.Build("CIAG", new PlanParameters { SketchConditioned = true });

        var uplinkSeed = plan.Transfers.Single(t => t.Link == LinkKind.Uplink && t.Payload == PayloadKind.Seed);
        var downlinkSeed = plan.Transfers.Single(t => t.Link == LinkKind.Downlink);
        Assert.Contains(Artifact.InputLatent, uplinkSeed.Artifacts);
        Assert.DoesNotContain(Artifact.InputLatent, downlinkSeed.Artifacts); // the UE encoded it itself
    }

    [Fact]
    public void Uidcg_hands_the_seed_from_server_to_server_over_the_backhaul()
    {
        var plan = ProtocolCatalog.Build("UIDCG", new PlanParameters { EdgeServers = 3, TotalSteps = 21 });

        var backhaulSeeds = plan.Transfers.Where(t => t.Link == LinkKind.Backhaul && t.Payload == PayloadKind.Seed).ToArray();
        Assert.Equal(2, backhaulSeeds.Length);
        Assert.Equal((NodeId.EdgeServer(1), NodeId.EdgeServer(2)), (backhaulSeeds[0].From, backhaulSeeds[0].To));
        var denoise = plan.Stages.Where(s => s.Kind == StageKind.Denoise).Select(s => (s.FromStep, s.ToStep)).ToArray();
        Assert.Equal([(0, 7), (7, 14), (14, 21)], denoise);
    }

    [Fact]
    public void Uidg_spreads_the_images_of_a_request_over_all_servers()
    {
        var plan = ProtocolCatalog.Build("UIDG", new PlanParameters { EdgeServers = 2, ImagesPerRequest = 4 });

        var decodesPerServer = plan.Stages.Where(s => s.Kind == StageKind.VaeDecode)
            .GroupBy(s => s.Node).ToDictionary(g => g.Key, g => g.Count());
        Assert.Equal(2, decodesPerServer[NodeId.EdgeServer(1)]);
        Assert.Equal(2, decodesPerServer[NodeId.EdgeServer(2)]);
    }

    [Fact]
    public void Dcsuc_refines_the_sketch_from_coarse_to_fine_along_the_chain()
    {
        var plan = ProtocolCatalog.Build("DCSUC", new PlanParameters { EdgeServers = 3, SketchSide = 16 });

        var sides = plan.Stages.Where(s => s.Kind == StageKind.MakeSketch).Select(s => (s.Node.ToString(), s.SketchSide)).ToArray();
        Assert.Equal([("ES1", 4), ("ES2", 8), ("ES3", 16)], sides);
    }

    [Fact]
    public void Image_to_image_strength_sets_the_first_denoising_step_as_diffusers_does()
    {
        var plan = ProtocolCatalog.Build("EIUG", new PlanParameters { TotalSteps = 20, Strength = 0.7, SketchConditioned = false });

        Assert.Equal(6, plan.StartStep); // 20 - floor(20 * 0.7)
        Assert.Equal(6, plan.Stages.Single(s => s.Kind == StageKind.Denoise).FromStep);
    }

    [Fact]
    public void An_unknown_protocol_name_lists_the_known_ones()
    {
        var error = Assert.Throws<ArgumentException>(() => ProtocolCatalog.Get("XYZ"));

        Assert.Contains("XYZ", error.Message);
        Assert.Contains("UIDCG", error.Message);
    }

    [Fact]
    public void Out_of_range_parameters_are_rejected_naming_the_field()
    {
        var error = Assert.Throws<ArgumentException>(() => new PlanParameters { Strength = 1.5 }.Validate());

        Assert.Equal("Strength", error.ParamName);
        Assert.Contains("(0, 1]", error.Message);
    }
}
