using Meg.Execution.Scheduling;
using Meg.Protocols.BuiltIn;
using Meg.Protocols.Plans;
using Meg.Protocols;

namespace Meg.Execution.Tests;

/// <summary>Which commands of a plan wait for which: data dependencies only, so independent nodes work at once.</summary>
public sealed class PlanScheduleTests
{
    internal static ProtocolPlan Plan(string protocol) =>
        ProtocolCatalog.Build(protocol, PlanParameters.ForModel(ModelDimensions.MegTiny, 20, 1, 2));

    [Fact]
    public void Centralized_is_a_chain_of_three_commands()
    {
        var schedule = PlanSchedule.Of(Plan("Centralized"));

        Assert.Equal(3, schedule.Commands.Count);
        Assert.Empty(schedule.Commands[0].WaitsFor);
        Assert.Equal([0], schedule.Commands[1].WaitsFor);
        Assert.Contains(1, schedule.Commands[2].WaitsFor);
    }

    [Theory]
    [InlineData("UIEG")]
    [InlineData("UIDCG")]
    public void The_prompt_goes_up_at_once_and_the_seed_when_it_is_ready_so_the_edge_server_encodes_the_text_while_the_UE_encodes_the_sketch(string protocol)
    {
        var plan = Plan(protocol);
        var schedule = PlanSchedule.Of(plan);

        PlanCommand Carrying(Artifact artifact) => schedule.Commands.Single(c => plan.Steps.Skip(c.FirstStep).Take(c.Count)
            .Any(s => s is Transfer t && t.From.IsUserEquipment && t.Artifacts.Contains(artifact)));
        var prompt = Carrying(Artifact.Prompt);
        var textOnEs1 = schedule.Commands.Single(c => plan.Steps[c.FirstStep] is Stage { Kind: StageKind.TextEncode } s && s.Node == NodeId.EdgeServer(1));
        var sketchOnUe = schedule.Commands.Single(c => plan.Steps.Skip(c.FirstStep).Take(c.Count).Any(s => s is Stage { Kind: StageKind.VaeEncode } st && st.Node.IsUserEquipment));

        Assert.Contains(prompt, schedule.Sources);
        Assert.Contains(sketchOnUe, schedule.Sources);
        Assert.All(plan.Steps.Skip(prompt.FirstStep).Take(prompt.Count), s => Assert.Equal([Artifact.Prompt], ((Transfer)s).Artifacts)); // not with the seed
        var commands = schedule.Commands.ToList();
        Assert.DoesNotContain(commands.IndexOf(sketchOnUe), Closure(schedule, commands.IndexOf(textOnEs1)));
    }

    [Theory]
    [InlineData("Centralized")]
    [InlineData("ESUC")]
    public void Transfers_that_are_ready_together_still_go_as_one_command(string protocol)
    {
        var plan = Plan(protocol);
        var schedule = PlanSchedule.Of(plan);

        var uplink = schedule.Commands[0];
        Assert.True(plan.Steps[0] is Transfer { } t && t.From.IsUserEquipment);
        Assert.True(uplink.Count > 1, $"{protocol}'s uplink of the prompt and the input image is {uplink.Count} command(s)");
    }

    [Fact]
    public void UIDG_edge_servers_do_not_wait_for_each_other()
    {
        var plan = Plan("UIDG");
        var schedule = PlanSchedule.Of(plan);

        int CommandOn(NodeId node, StageKind kind) => schedule.Commands.Select((c, i) => (c, i))
            .Single(p => plan.Steps.Skip(p.c.FirstStep).Take(p.c.Count).Any(s => s is Stage st && st.Node == node && st.Kind == kind)).i;

        var es1 = CommandOn(NodeId.EdgeServer(1), StageKind.Denoise);
        var es2 = CommandOn(NodeId.EdgeServer(2), StageKind.Denoise);
        Assert.DoesNotContain(es1, Closure(schedule, es2));
        Assert.DoesNotContain(es2, Closure(schedule, es1));
        Assert.Contains(CommandOn(NodeId.UserEquipment, StageKind.VaeEncode), Closure(schedule, es2));
    }

    [Fact]
    public void Every_step_of_every_plan_waits_for_the_steps_that_wrote_its_inputs()
    {
        foreach (var name in ProtocolCatalog.Names)
        {
            var plan = Plan(name);
            var schedule = PlanSchedule.Of(plan);
            foreach (var (command, index) in schedule.Commands.Select((c, i) => (c, i)))
            {
                var before = Closure(schedule, index);
                foreach (var read in command.Reads)
                {
                    var writers = schedule.Commands.Select((c, i) => (c, i)).Where(p => p.i < index && p.c.Writes.Contains(read)).Select(p => p.i);
                    Assert.All(writers, w => Assert.Contains(w, before));
                }
            }
        }
    }

    [Theory]
    [InlineData("Centralized")]
    [InlineData("EIUG")]
    public void A_plan_without_parallel_branches_is_a_line_each_command_released_by_the_one_before(string protocol)
    {
        var schedule = PlanSchedule.Of(Plan(protocol));

        Assert.Equal([schedule.Commands[0]], schedule.Sources);
        Assert.All(schedule.Commands.Skip(1).Select((c, i) => (c, i)), p => Assert.Equal([p.i], p.c.Predecessors));
    }

    [Fact]
    public void CIAG_edge_server_denoising_is_released_by_whichever_of_the_seed_and_its_text_encoding_is_done_last()
    {
        var plan = Plan("CIAG");
        var schedule = PlanSchedule.Of(plan);
        var denoise = schedule.Commands.Single(c => plan.Steps[c.FirstStep] is Stage { Kind: StageKind.Denoise } s && s.Node == NodeId.EdgeServer(1));

        var predecessors = denoise.Predecessors.Select(p => plan.Steps[schedule.Commands[p].LastStep]).ToArray();

        Assert.Equal(2, predecessors.Length);
        Assert.Contains(predecessors, s => s is Transfer { To: var to } && to == NodeId.EdgeServer(1));
        Assert.Contains(predecessors, s => s is Stage { Kind: StageKind.TextEncode } t && t.Node == NodeId.EdgeServer(1));
    }

    [Fact]
    public void Predecessors_leave_out_only_what_another_predecessor_already_waits_for()
    {
        foreach (var name in ProtocolCatalog.Names)
        {
            var schedule = PlanSchedule.Of(Plan(name));
            foreach (var (command, index) in schedule.Commands.Select((c, i) => (c, i)))
            {
                Assert.All(command.Predecessors, p => Assert.Contains(p, command.WaitsFor));
                var viaPredecessors = command.Predecessors.SelectMany(p => Closure(schedule, p).Append(p)).ToHashSet();
                Assert.All(command.WaitsFor, w => Assert.Contains(w, viaPredecessors));
                Assert.All(command.Predecessors, p => Assert.DoesNotContain(p, command.Predecessors.Where(q => q != p).SelectMany(q => Closure(schedule, q))));
            }
        }
    }

    /// <summary>Every command that <paramref name="index"/> waits for, directly or not.</summary>
    private static HashSet<int> Closure(PlanSchedule schedule, int index)
    {
        var seen = new HashSet<int>();
        var stack = new Stack<int>(schedule.Commands[index].WaitsFor);
        while (stack.Count > 0)
        {
            var next = stack.Pop();
            if (seen.Add(next))
            {
                foreach (var w in schedule.Commands[next].WaitsFor)
                {
                    stack.Push(w);
                }
            }
        }

        return seen;
    }
}
