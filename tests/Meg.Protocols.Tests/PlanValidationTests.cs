using Meg.Protocols.Plans;

namespace Meg.Protocols.Tests;

public class PlanValidationTests
{
    private static readonly NodeId Ue = NodeId.UserEquipment;
    private static readonly NodeId Es1 = NodeId.EdgeServer(1);

    private static ProtocolPlan PlanOf(params PlanStep[] steps) => new()
    {
        Name = "custom",
        TotalSteps = 10,
        SketchConditioned = false,
        Steps = steps,
    };

    [Fact]
    public void A_denoising_stage_without_the_text_embedding_is_rejected_naming_stage_and_input()
    {
        var plan = PlanOf(
            new Transfer(Ue, Es1, Artifact.InputImage),
            Stage.Encode(Es1),
            Stage.Denoise(Es1, 0, 10, 0));

        var error = Assert.Throws<PlanValidationException>(() => plan.Validate());

        Assert.Contains("D[0,10) #0 on ES1", error.Message);
        Assert.Contains("text embedding", error.Message);
        Assert.IsType<Stage>(error.Step);
    }

    [Fact]
    public void A_transfer_of_data_the_sender_does_not_have_is_rejected()
    {
        var plan = PlanOf(new Transfer(Es1, Ue, Artifact.ImageOf(0)));

        var error = Assert.Throws<PlanValidationException>(() => plan.Validate());

        Assert.Contains("image #0 on ES1", error.Message);
    }

    [Fact]
    public void Denoising_must_continue_from_the_step_where_the_latent_is()
    {
        var plan = PlanOf(
            Stage.Text(Ue), Stage.Encode(Ue),
            Stage.Denoise(Ue, 0, 4, 0),
            Stage.Denoise(Ue, 5, 10, 0));

        var error = Assert.Throws<PlanValidationException>(() => plan.Validate());

        Assert.Contains("latent at step 5", error.Message);
    }

    [Fact]
    public void A_plan_that_never_delivers_the_image_to_the_user_is_rejected()
    {
        var plan = PlanOf(
            Stage.Text(Ue), Stage.Encode(Ue), Stage.Denoise(Ue, 0, 10, 0),
            new Transfer(Ue, Es1, Artifact.LatentAt(10, 0)),
            Stage.Decode(Es1, 0));

        var error = Assert.Throws<PlanValidationException>(() => plan.Validate());

        Assert.Null(error.Step);
        Assert.Contains("image #0", error.Message);
    }

    [Fact]
    public void A_complete_hand_written_plan_is_accepted()
    {
        var plan = PlanOf(
            Stage.Text(Ue), Stage.Encode(Ue), Stage.Denoise(Ue, 0, 10, 0),
            new Transfer(Ue, Es1, Artifact.LatentAt(10, 0)),
            Stage.Decode(Es1, 0),
            new Transfer(Es1, Ue, Artifact.ImageOf(0)));

        Assert.Same(plan, plan.Validate());
    }

    [Fact]
    public void A_sketch_conditioned_plan_needs_the_input_latent_wherever_denoising_continues()
    {
        var plan = PlanOf(
                Stage.Text(Ue), Stage.Encode(Ue), Stage.Denoise(Ue, 0, 5, 0),
                new Transfer(Ue, Es1, Artifact.Prompt),
                new Transfer(Ue, Es1, Artifact.LatentAt(5, 0)),
                Stage.Text(Es1), Stage.Denoise(Es1, 5, 10, 0))
            with { SketchConditioned = true };

        var error = Assert.Throws<PlanValidationException>(() => plan.Validate());

        Assert.Contains("input latent on ES1", error.Message);
    }

    [Fact]
    public void A_transfer_mixing_a_seed_and_an_image_is_rejected()
    {
        var plan = PlanOf(
            Stage.Encode(Ue),
            new Transfer(Ue, Es1, Artifact.InputLatent, Artifact.InputImage));

        var error = Assert.Throws<PlanValidationException>(() => plan.Validate());

        Assert.Contains("mixes payload kinds", error.Message);
    }
}
