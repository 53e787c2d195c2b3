using Meg.Protocols.BuiltIn;
using Meg.Protocols.Costs;
using Meg.Protocols.Plans;

namespace Meg.Protocols.Tests;

public class PlanCostTests
{
    [Fact]
    public void Analog_payloads_take_one_complex_channel_use_per_two_values()
    {
        var load = PlanCostCalculator.LoadOf([Artifact.ImageOf(0)], ModelDimensions.MegTiny, new AccountingOptions());

        Assert.Equal(3 * 64 * 64, load.Values);
        Assert.Equal(8 * 3 * 64 * 64, load.Bits);
        Assert.Equal(3 * 64 * 64 / 2, load.ChannelUses);
        Assert.Equal(load.ChannelUses / 1e6, load.AirtimeSeconds, 12);
    }

    [Fact]
    public void The_prompt_is_counted_digitally_at_the_given_spectral_efficiency()
    {
        var options = new AccountingOptions { PromptBytes = 50, PromptBitsPerChannelUse = 2 };

        var load = PlanCostCalculator.LoadOf([Artifact.Prompt], ModelDimensions.MegTiny, options);

        Assert.Equal(400, load.Bits);
        Assert.Equal(203, load.ChannelUses); // (400 bits + the code's 6 tail bits) / 2
    }

    [Fact]
    public void By_default_the_prompt_is_counted_as_rate_half_coded_qpsk_with_the_codes_tail()
    {
        var options = new AccountingOptions { PromptBytes = 50 };

        var load = PlanCostCalculator.LoadOf([Artifact.Prompt], ModelDimensions.MegTiny, options);

        Assert.Equal(406, load.ChannelUses);
        Assert.Equal(2 * 8192 + 12, options.PromptChannelUses(2 * 8192)); // each codeword pays its own tail
        Assert.Equal(0, options.PromptChannelUses(0));
    }

    [Fact]
    public void Mean_removed_images_add_their_plane_means_and_grey_sketches_go_as_one_plane()
    {
        var plain = PlanCostCalculator.LoadOf([Artifact.ImageOf(0)], ModelDimensions.MegTiny, new AccountingOptions());
        var meanRemoved = PlanCostCalculator.LoadOf([Artifact.ImageOf(0)], ModelDimensions.MegTiny, new AccountingOptions { MeanRemovedImages = true });
        var sketch = Artifact.SketchOf(0, 16);
        var colour = PlanCostCalculator.LoadOf([sketch], ModelDimensions.MegTiny, new AccountingOptions());
        var grey = PlanCostCalculator.LoadOf([sketch], ModelDimensions.MegTiny, new AccountingOptions { GreySketches = true });

        Assert.Equal(plain.Bits + 24, meanRemoved.Bits);
        Assert.Equal(plain.ChannelUses + 30, meanRemoved.ChannelUses); // 24 bits + 6 tail bits, one per channel use
        Assert.Equal(colour.Values / 3, grey.Values);
        Assert.Equal((grey.Values + 1) / 2, grey.ChannelUses);
    }

    [Fact]
    public void Seed_bits_follow_the_chosen_precision()
    {
        var dims = ModelDimensions.MegTiny;
        var half = PlanCostCalculator.LoadOf([Artifact.InputLatent], dims, new AccountingOptions { SeedBitsPerValue = 16 });

        Assert.Equal(dims.LatentValues * 16, half.Bits);
        Assert.Equal(dims.LatentValues / 2, half.ChannelUses);
    }

    [Fact]
    public void Link_totals_add_up_to_the_plan_total()
    {
        var cost = PlanCostCalculator.Compute(ProtocolCatalog.Build("UIDCG", new PlanParameters()), ModelDimensions.MegTiny);

        var sum = cost.ForLink(LinkKind.Uplink) + cost.ForLink(LinkKind.Downlink) + cost.ForLink(LinkKind.Backhaul);
        Assert.Equal(cost.Total, sum);
        Assert.True(cost.ForLink(LinkKind.Backhaul).ChannelUses > 0);
    }

    [Fact]
    public void Moving_denoising_to_the_user_device_moves_unet_work_off_the_server()
    {
        var dims = ModelDimensions.MegTiny;
        var plain = PlanCostCalculator.Compute(ProtocolCatalog.Build("UIEG", new PlanParameters { TotalSteps = 20 }), dims);
        var split = PlanCostCalculator.Compute(ProtocolCatalog.Build("UIEG", new PlanParameters { TotalSteps = 20, UserStepsBeforeUplink = 5 }), dims);

        Assert.Equal(40, plain.WorkOf(NodeId.EdgeServer(1)).UnetEvaluations);
        Assert.Equal(30, split.WorkOf(NodeId.EdgeServer(1)).UnetEvaluations);
        Assert.Equal(10, split.WorkOf(NodeId.UserEquipment).UnetEvaluations);
    }
}
