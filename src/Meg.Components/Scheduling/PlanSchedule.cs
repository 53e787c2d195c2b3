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
            commands.Add(new PlanCommand(first, count, reads, writes, waitsFor, DirectOnly(commands, waitsFor)));
            first += count;
        }

        return new PlanSchedule(commands);
    }

    /// <summary>The commands that wait for nothing: the scheduler sends these when the job starts.</summary>
    public IEnumerable<PlanCommand> Sources => Commands.Where(c => c.WaitsFor.Count == 0);

    /// <summary>The command whose first step is <paramref name="firstStep"/>.</summary>
    public PlanCommand At(int firstStep) => Commands[IndexOf(firstStep)];

    /// <summary>The commands that <paramref name="command"/> is a direct predecessor of: when it finishes, each of them may
    /// be ready (when the others it waits for are done too).</summary>
    public IEnumerable<PlanCommand> Successors(PlanCommand command)
    {
        var index = IndexOf(command.FirstStep);
        return Commands.Where(c => c.Predecessors.Contains(index));
    }

    /// <summary><paramref name="waitsFor"/> less every command that another one of them already waits for, directly or
    /// not: what is left has to finish last, so only those need to count each other in when the command is released.</summary>
    private static int[] DirectOnly(IReadOnlyList<PlanCommand> earlier, IReadOnlyList<int> waitsFor)
    {
        var implied = new HashSet<int>();
        var stack = new Stack<int>(waitsFor.SelectMany(w => earlier[w].WaitsFor));
        while (stack.Count > 0)
        {
            var next = stack.Pop();
            if (implied.Add(next))
            {
                foreach (var w in earlier[next].WaitsFor)
                {
                    stack.Push(w);
                }
            }
        }

        return waitsFor.Where(w => !implied.Contains(w)).ToArray();
    }

    private int IndexOf(int firstStep)
    {
        for (var i = 0; i < Commands.Count; i++)
        {
            if (Commands[i].FirstStep == firstStep)
            {
                return i;
            }
        }

        throw new ArgumentException($"No command of this plan starts at step {firstStep}.", nameof(firstStep));
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
/// and write, the commands (indices into <see cref="PlanSchedule.Commands"/>) that must finish first, and of those the
/// <paramref name="Predecessors"/>: the ones not already implied by another (the last to finish among them releases it).</summary>
public sealed record PlanCommand(
    int FirstStep,
    int Count,
    IReadOnlySet<(NodeId Node, Artifact Artifact)> Reads,
    IReadOnlySet<(NodeId Node, Artifact Artifact)> Writes,
    IReadOnlyList<int> WaitsFor,
    IReadOnlyList<int> Predecessors)
{
    public int LastStep => FirstStep + Count - 1;
}
