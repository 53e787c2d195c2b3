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

    [Theory]
    [InlineData("Centralized")]
    [InlineData("EIUG")]
    [InlineData("UIEG")]
    public void A_plan_without_parallel_branches_goes_out_as_one_chain(string protocol)
    {
        var schedule = PlanSchedule.Of(Plan(protocol));

        var chain = schedule.ChainAfter(schedule.Commands[0], [0], []);

        Assert.Equal(schedule.Commands.Skip(1).Select(c => c.FirstStep), chain.Select(c => c.FirstStep));
    }

    [Fact]
    public void A_chain_never_holds_one_edge_server_back_behind_the_other()
    {
        var plan = Plan("UIDG");
        var schedule = PlanSchedule.Of(plan);

        var chain = schedule.ChainAfter(schedule.Commands[0], [0], []);

        var denoisers = chain.SelectMany(c => plan.Steps.Skip(c.FirstStep).Take(c.Count)).OfType<Stage>()
            .Where(s => s.Kind == StageKind.Denoise).Select(s => s.Node).Distinct();
        Assert.True(denoisers.Count() <= 1, "both edge servers' denoising in one chain");
    }

    [Fact]
    public void Driving_every_plan_with_chains_sends_each_command_once_and_only_after_what_it_waits_for()
    {
        foreach (var name in ProtocolCatalog.Names)
        {
            var schedule = PlanSchedule.Of(Plan(name));
            var sent = new List<int>();
            var done = new List<int>();
            // Commands out, in the order their work can happen: a chain's commands one after another.
            var running = new Queue<IReadOnlyList<PlanCommand>>();
            void SendReady()
            {
                foreach (var command in schedule.Ready(sent, done).ToArray())
                {
                    var chain = schedule.ChainAfter(command, sent, done);
                    sent.Add(command.FirstStep);
                    sent.AddRange(chain.Select(c => c.FirstStep));
                    running.Enqueue([command, .. chain]);
                }
            }

            SendReady();
            while (running.Count > 0)
            {
                foreach (var command in running.Dequeue())
                {
                    Assert.All(command.WaitsFor, w => Assert.Contains(schedule.Commands[w].FirstStep, done));
                    done.Add(command.FirstStep);
                    SendReady();
                }
            }

            Assert.Equal(schedule.Commands.Select(c => c.FirstStep).Order(), sent.Order());
            Assert.Equal(sent.Count, done.Count);
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
