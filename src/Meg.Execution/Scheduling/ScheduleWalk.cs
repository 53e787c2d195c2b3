using Meg.Protocols.Plans;

namespace Meg.Execution.Scheduling;

/// <summary>
/// Walks a plan's schedule in one process, by the rules the services follow across processes: a command starts when
/// every command it waits for has finished, and the commands that wait for nothing else run at the same time. The
/// services add only the transport between these steps (RabbitMQ) and the storage of what they hand over (Redis).
/// </summary>
public static class ScheduleWalk
{
    /// <summary>
    /// Runs every command of <paramref name="schedule"/> through <paramref name="run"/>. Concurrent: each command on
    /// its own thread as soon as it is ready, as the services run them. Not concurrent: one at a time in the schedule's
    /// order (every command after all it waits for), so each one's time is measured undisturbed.
    /// </summary>
    public static void Run(PlanSchedule schedule, bool concurrent, Action<PlanCommand> run)
    {
        var finished = new Task[schedule.Commands.Count];
        for (var i = 0; i < finished.Length; i++)
        {
            var command = schedule.Commands[i];
            var waitsFor = command.WaitsFor.Select(w => finished[w]).ToArray();
            if (concurrent)
            {
                finished[i] = StartAfter(waitsFor, () => run(command));
            }
            else
            {
                // Commands only wait for earlier ones, so the schedule's order has them all done.
                run(command);
                finished[i] = Task.CompletedTask;
            }
        }

        Task.WhenAll(finished).GetAwaiter().GetResult();
    }

    /// <summary>Runs the stages of one command wave by wave (<see cref="StageWaves"/>): a wave's stages at once when
    /// <paramref name="concurrent"/>, and every wave after the one before.</summary>
    public static void RunWaves(IReadOnlyList<Stage> stages, bool concurrent, Action<int> run)
    {
        foreach (var wave in StageWaves.Of(stages))
        {
            if (concurrent && wave.Count > 1)
            {
                Task.WhenAll(wave.Select(k => Task.Run(() => run(k)))).GetAwaiter().GetResult();
            }
            else
            {
                foreach (var k in wave)
                {
                    run(k);
                }
            }
        }
    }

    private static async Task StartAfter(Task[] waitsFor, Action run)
    {
        await Task.WhenAll(waitsFor).ConfigureAwait(false);
        await Task.Run(run).ConfigureAwait(false);
    }
}
