using Meg.Protocols.Plans;
using Meg.Protocols;

namespace Meg.Execution.Scheduling;

/// <summary>
/// A plan cut into commands and what each command waits for: every earlier command that writes an artifact it reads
/// or writes, or reads one it writes (artifacts are per node: a stage reads and writes its node's memory, a transfer
/// reads the sender's and writes the receiver's). A command is a run of steps that follow each other on one node
/// (stages) or between the same two nodes (transfers), so they go through the broker once and run back to back; a
/// step joins the run only if it waits for nothing the run does not wait for already, so it never holds the run's
/// first steps back (UIDCG's prompt goes up to ES1 at once, for ES1 to encode it while the UE encodes the sketch,
/// and the seed follows when it is ready). Everything else
/// runs at the same time: UIDG's two edge servers denoise together, and CIAG's text encoding on ES1 runs beside
/// the UE's first denoising steps. The results do not depend on the order: every step reads only what the steps
/// it waits for wrote, and a transfer's noise is drawn from its position in the plan.
/// </summary>
public sealed class PlanSchedule
{
    private PlanSchedule(ProtocolPlan plan, IReadOnlyList<PlanCommand> commands) => (Plan, Commands) = (plan, commands);

    public ProtocolPlan Plan { get; }

    public IReadOnlyList<PlanCommand> Commands { get; }

    public static PlanSchedule Of(ProtocolPlan plan)
    {
        var commands = new List<PlanCommand>();
        for (var first = 0; first < plan.Steps.Count;)
        {
            var reads = Reads(plan, plan.Steps[first]).ToHashSet();
            var writes = Writes(plan, plan.Steps[first]).ToHashSet();
            var waitsFor = WaitsFor(commands, reads, writes);
            var doneBefore = Before(commands, waitsFor); // all finished when the run starts
            var count = 1;
            for (; first + count < plan.Steps.Count && SameRun(plan.Steps[first], plan.Steps[first + count]); count++)
            {
                var nextReads = Reads(plan, plan.Steps[first + count]).ToHashSet();
                var nextWrites = Writes(plan, plan.Steps[first + count]).ToHashSet();
                if (!WaitsFor(commands, nextReads, nextWrites).All(doneBefore.Contains))
                {
                    break; // it would hold the run back until something the run itself does not need
                }

                reads.UnionWith(nextReads);
                writes.UnionWith(nextWrites);
            }

            // The run's own list: what its later steps wait for is done by then, but is still waited for.
            waitsFor = WaitsFor(commands, reads, writes);
            commands.Add(new PlanCommand(first, count, reads, writes, waitsFor, DirectOnly(commands, waitsFor)));
            first += count;
        }

        return new PlanSchedule(plan, commands);
    }

    private static bool SameRun(PlanStep first, PlanStep next) => (first, next) switch
    {
        (Stage a, Stage b) => a.Node == b.Node,
        (Transfer a, Transfer b) => a.From == b.From && a.To == b.To,
        _ => false,
    };

    /// <summary>The earlier commands that steps reading <paramref name="reads"/> and writing <paramref name="writes"/>
    /// wait for.</summary>
    private static int[] WaitsFor(IReadOnlyList<PlanCommand> earlier, IReadOnlySet<(NodeId, Artifact)> reads, IReadOnlySet<(NodeId, Artifact)> writes) =>
        earlier.Select((c, i) => (c, i))
            .Where(p => p.c.Writes.Overlaps(reads) || p.c.Writes.Overlaps(writes) || p.c.Reads.Overlaps(writes))
            .Select(p => p.i).ToArray();

    /// <summary><paramref name="waitsFor"/> and every command that one of them waits for, directly or not: all done
    /// before a command waiting for <paramref name="waitsFor"/> starts.</summary>
    private static HashSet<int> Before(IReadOnlyList<PlanCommand> earlier, IEnumerable<int> waitsFor)
    {
        var done = new HashSet<int>();
        var stack = new Stack<int>(waitsFor);
        while (stack.Count > 0)
        {
            var next = stack.Pop();
            if (done.Add(next))
            {
                foreach (var w in earlier[next].WaitsFor)
                {
                    stack.Push(w);
                }
            }
        }

        return done;
    }

    /// <summary>The commands that wait for nothing: the scheduler sends these when the job starts.</summary>
    public IEnumerable<PlanCommand> Sources => Commands.Where(c => c.WaitsFor.Count == 0);

    /// <summary>The position of transfer step <paramref name="step"/> among the plan's transfers: its channel noise is
    /// drawn from it, so a transfer's noise does not depend on when it runs.</summary>
    public int TransferIndexOf(int step) => Plan.Steps.Take(step).OfType<Transfer>().Count();

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
        var implied = Before(earlier, waitsFor.SelectMany(w => earlier[w].WaitsFor));
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
