using Meg.Components.Jobs;
using Meg.Components.Scheduling;
using Meg.Protocols;
using Meg.Protocols.BuiltIn;
using Meg.Protocols.Plans;

namespace Meg.Distributed.Tests;

/// <summary>Which commands of a plan wait for which: data dependencies only, so independent nodes work at once.</summary>
public sealed class PlanScheduleTests
{
    private static ProtocolPlan Plan(string protocol) =>
        ProtocolCatalog.Build(protocol, JobPlanning.ParametersFor(ModelDimensions.MegTiny, 20, 1, 2));

    [Fact]
    public void Centralized_is_a_chain_of_three_commands()
    {
        var schedule = PlanSchedule.Of(Plan("Centralized"));

        Assert.Equal(3, schedule.Commands.Count);
        Assert.Empty(schedule.Commands[0].WaitsFor);
        Assert.Equal([0], schedule.Commands[1].WaitsFor);
        Assert.Contains(1, schedule.Commands[2].WaitsFor);
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
