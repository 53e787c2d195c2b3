using System.Collections.Concurrent;
using Meg.Execution.Scheduling;
using Meg.Protocols;
using Meg.Protocols.BuiltIn;
using Meg.Protocols.Plans;

namespace Meg.Execution.Tests;

/// <summary>The in-process walk of a schedule keeps the services' rules: nothing starts before what it waits for ends.</summary>
public sealed class ScheduleWalkTests
{
    private static PlanSchedule Schedule(string protocol) =>
        PlanSchedule.Of(ProtocolCatalog.Build(protocol, PlanParameters.ForModel(ModelDimensions.MegTiny, 20, 1, 2)));

    public static TheoryData<string> Protocols() => new(ProtocolCatalog.Names);

    [Theory]
    [MemberData(nameof(Protocols))]
    public void Concurrent_walks_start_every_command_after_all_it_waits_for_and_run_each_once(string protocol)
    {
        var schedule = Schedule(protocol);
        var finished = new ConcurrentDictionary<int, bool>();
        var started = new ConcurrentBag<int>();

        ScheduleWalk.Run(schedule, concurrent: true, command =>
        {
            var index = schedule.Commands.ToList().IndexOf(command);
            Assert.All(command.WaitsFor, w => Assert.True(finished.ContainsKey(w), $"command {index} started before {w} finished"));
            started.Add(index);
            Thread.Sleep(2);
            finished[index] = true;
        });

        Assert.Equal(Enumerable.Range(0, schedule.Commands.Count), started.Order());
    }

    [Fact]
    public void Independent_commands_run_at_the_same_time_when_concurrent()
    {
        // UIDG: the two edge servers work at once; a barrier that both first commands must reach proves they overlap.
        var schedule = Schedule("UIDG");
        var parallel = schedule.Commands.Where(c => schedule.Plan.Steps[c.FirstStep] is Stage { Node.IsUserEquipment: false })
            .GroupBy(c => ((Stage)schedule.Plan.Steps[c.FirstStep]).Node).Select(g => g.First()).ToArray();
        Assert.Equal(2, parallel.Length);
        using var barrier = new Barrier(2);
        var met = 0;

        ScheduleWalk.Run(schedule, concurrent: true, command =>
        {
            if (command == parallel[0] || command == parallel[1])
            {
                if (barrier.SignalAndWait(TimeSpan.FromSeconds(10)))
                {
                    Interlocked.Increment(ref met);
                }
            }
        });

        Assert.Equal(2, met);
    }

    [Fact]
    public void One_at_a_time_walks_the_commands_in_schedule_order()
    {
        var schedule = Schedule("CIAG");
        var order = new List<PlanCommand>();

        ScheduleWalk.Run(schedule, concurrent: false, order.Add);

        Assert.Equal(schedule.Commands, order);
    }

    [Fact]
    public void A_failing_command_fails_the_walk_and_nothing_after_it_runs()
    {
        var schedule = Schedule("Centralized");
        var ran = new ConcurrentBag<int>();

        var error = Assert.Throws<InvalidOperationException>(() => ScheduleWalk.Run(schedule, concurrent: true, command =>
        {
            ran.Add(command.FirstStep);
            if (command.FirstStep == schedule.Commands[1].FirstStep)
            {
                throw new InvalidOperationException("stage failed");
            }
        }));

        Assert.Equal("stage failed", error.Message);
        Assert.DoesNotContain(schedule.Commands[2].FirstStep, ran);
    }
}
