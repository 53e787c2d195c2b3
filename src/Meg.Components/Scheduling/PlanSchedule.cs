using Meg.Components.Jobs;
using Meg.Protocols;
using Meg.Protocols.Plans;

namespace Meg.Components.Scheduling;

/// <summary>
/// A plan cut into commands (<see cref="JobPlanning.StepsInRun"/>) and what each command waits for: every earlier
/// command that writes an artifact it reads or writes, or reads one it writes (artifacts are per node: a stage
/// reads and writes its node's memory, a transfer reads the sender's and writes the receiver's). Everything else
/// runs at the same time: UIDG's two edge servers denoise together, and CIAG's text encoding on ES1 runs beside
/// the UE's first denoising steps. The results do not depend on the order: every step reads only what the steps
/// it waits for wrote, and a transfer's noise is drawn from its position in the plan.
/// </summary>
public sealed class PlanSchedule
{
    private PlanSchedule(IReadOnlyList<PlanCommand> commands) => Commands = commands;

    public IReadOnlyList<PlanCommand> Commands { get; }

    public static PlanSchedule Of(ProtocolPlan plan)
    {
        var commands = new List<PlanCommand>();
        for (var first = 0; first < plan.Steps.Count;)
        {
            var count = JobPlanning.StepsInRun(plan, first);
            var steps = plan.Steps.Skip(first).Take(count).ToArray();
            var reads = steps.SelectMany(step => Reads(plan, step)).ToHashSet();
            var writes = steps.SelectMany(step => Writes(plan, step)).ToHashSet();
            var waitsFor = commands.Select((c, i) => (c, i))
                .Where(p => p.c.Writes.Overlaps(reads) || p.c.Writes.Overlaps(writes) || p.c.Reads.Overlaps(writes))
                .Select(p => p.i).ToArray();
            commands.Add(new PlanCommand(first, count, reads, writes, waitsFor));
            first += count;
        }

        return new PlanSchedule(commands);
    }

    /// <summary>Commands not yet sent whose every predecessor is done (both given as first step indices).</summary>
    public IEnumerable<PlanCommand> Ready(IReadOnlyCollection<int> sent, IReadOnlyCollection<int> done) =>
        Commands.Where(c => !sent.Contains(c.FirstStep) && c.WaitsFor.All(w => done.Contains(Commands[w].FirstStep)));

    /// <summary>
    /// The commands that can follow <paramref name="head"/> without a round trip through the scheduler, in order:
    /// each one waits for the chain's last command and for nothing that is not done or in the chain. So a chain never
    /// holds back a command that could run beside it; a command that waits for two running ones, or the second of two
    /// that could start together, is left to the scheduler. Steps are named by their first step index.
    /// </summary>
    public IReadOnlyList<PlanCommand> ChainAfter(PlanCommand head, IReadOnlyCollection<int> sent, IReadOnlyCollection<int> done)
    {
        var chain = new List<PlanCommand>();
        var covered = new HashSet<int>(done) { head.FirstStep };
        var tail = IndexOf(head);
        while (true)
        {
            var next = -1;
            for (var i = 0; i < Commands.Count && next < 0; i++)
            {
                var candidate = Commands[i];
                if (!covered.Contains(candidate.FirstStep) && !sent.Contains(candidate.FirstStep) && candidate.WaitsFor.Contains(tail)
                    && candidate.WaitsFor.All(w => covered.Contains(Commands[w].FirstStep)))
                {
                    next = i;
                }
            }

            if (next < 0)
            {
                return chain;
            }

            chain.Add(Commands[next]);
            covered.Add(Commands[next].FirstStep);
            tail = next;
        }
    }

    private int IndexOf(PlanCommand command)
    {
        for (var i = 0; i < Commands.Count; i++)
        {
            if (Commands[i].FirstStep == command.FirstStep)
            {
                return i;
            }
        }

        throw new ArgumentException($"Command at step {command.FirstStep} is not in this schedule.", nameof(command));
    }

    private static IEnumerable<(NodeId, Artifact)> Reads(ProtocolPlan plan, PlanStep step) => step switch
    {
        Stage s => s.Inputs(plan).Select(a => (s.Node, a)),
        Transfer t => t.Artifacts.Select(a => (t.From, a)),
        _ => throw new InvalidOperationException($"Unknown step type {step.GetType().Name}."),
    };

    private static IEnumerable<(NodeId, Artifact)> Writes(ProtocolPlan plan, PlanStep step) => step switch
    {
        Stage s => s.Outputs(plan).Select(a => (s.Node, a)),
        Transfer t => t.Artifacts.Select(a => (t.To, a)),
        _ => throw new InvalidOperationException($"Unknown step type {step.GetType().Name}."),
    };
}

/// <summary>One command: <paramref name="Count"/> steps from <paramref name="FirstStep"/>, the node artifacts they read
/// and write, and the commands (indices into <see cref="PlanSchedule.Commands"/>) that must finish first.</summary>
public sealed record PlanCommand(
    int FirstStep,
    int Count,
    IReadOnlySet<(NodeId Node, Artifact Artifact)> Reads,
    IReadOnlySet<(NodeId Node, Artifact Artifact)> Writes,
    IReadOnlyList<int> WaitsFor)
{
    public int LastStep => FirstStep + Count - 1;
}
