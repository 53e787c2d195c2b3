using Meg.Execution.Scheduling;
using Meg.Protocols.BuiltIn;
using Meg.Protocols.Plans;
using Meg.Protocols;

namespace Meg.Execution.Tests;

/// <summary>Which stages of a command run at once: consecutive encoders of different kinds, nothing else.</summary>
public sealed class StageWavesTests
{
    private static readonly NodeId Ue = NodeId.UserEquipment;

    [Fact]
    public void A_text_and_a_VAE_encoding_in_a_row_are_one_wave_and_the_denoising_after_them_waits()
    {
        var waves = StageWaves.Of([Stage.Text(Ue), Stage.Encode(Ue), Stage.Denoise(Ue, 0, 5, 0), Stage.Decode(Ue, 0)]);

        Assert.Equal([[0, 1], [2], [3]], waves.Select(w => w.ToArray()).ToArray());
    }

    [Fact]
    public void Two_encoders_of_the_same_kind_or_an_encoder_after_another_stage_do_not_share_a_wave()
    {
        Assert.Equal([[0], [1]], StageWaves.Of([Stage.Encode(Ue), Stage.Encode(Ue)]).Select(w => w.ToArray()).ToArray());
        Assert.Equal([[0], [1]], StageWaves.Of([Stage.Denoise(Ue, 0, 5, 0), Stage.Text(Ue)]).Select(w => w.ToArray()).ToArray());
    }

    [Theory]
    [InlineData("CIAG", "UE")]
    [InlineData("Centralized", "ES1")]
    public void Every_command_of_a_plan_runs_each_stage_once_in_plan_order_and_the_first_node_encodes_both_inputs_at_once(string protocol, string node)
    {
        var plan = ProtocolCatalog.Build(protocol, PlanParameters.ForModel(ModelDimensions.MegTiny, 20, 1, 2));
        var commands = PlanSchedule.Of(plan).Commands.Where(c => plan.Steps[c.FirstStep] is Stage).ToList();

        var encodedTogether = false;
        foreach (var command in commands)
        {
            var stages = Enumerable.Range(command.FirstStep, command.Count).Select(i => (Stage)plan.Steps[i]).ToList();
            var waves = StageWaves.Of(stages);
            Assert.Equal(Enumerable.Range(0, stages.Count), waves.SelectMany(w => w));
            encodedTogether |= waves.Any(w => w.Count == 2 && stages[w[0]].Node.ToString() == node);
        }

        Assert.True(encodedTogether, $"{protocol}: no command on {node} encodes the prompt and the sketch at once");
    }
}
