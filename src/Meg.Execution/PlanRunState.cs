using System.Diagnostics;
using Meg.Execution.Scheduling;
using Meg.Imaging;
using Meg.Protocols.Plans;

namespace Meg.Execution;

/// <summary>One run of a plan in progress: every node's memory, and what each step cost so far. The executor runs
/// its steps in any order the schedule allows, or resumes it from a <see cref="PlanPrefix"/>.</summary>
internal sealed class PlanRunState
{
    private readonly StageRunner _runner;
    private readonly bool _keepPayloads;
    private readonly PayloadTransport _transport;
    private readonly TransferRecord?[] _records;
    private readonly List<PayloadSnapshot>?[] _payloads;

    public PlanRunState(StageRunner runner, ProtocolPlan plan, GenerationRequest request, TransmissionOptions options, bool keepPayloads)
    {
        plan.Validate();
        runner.RequireCompatible(plan, request);
        (_runner, Plan, Request, Options, _keepPayloads) = (runner, plan, request, options, keepPayloads);
        Schedule = PlanSchedule.Of(plan);
        Memories = plan.Nodes.ToDictionary(n => n, n => new NodeMemory(n));
        var ue = Memories[NodeId.UserEquipment];
        ue.Put(Artifact.Prompt, request.Prompt);
        ue.Put(Artifact.InputImage, request.InputImage);
        _transport = new PayloadTransport(options);
        // Kept by step, so records and payloads come out in plan order whatever finished first.
        _records = new TransferRecord?[plan.Steps.Count];
        _payloads = new List<PayloadSnapshot>?[plan.Steps.Count];
        StepTime = new TimeSpan[plan.Steps.Count];
    }

    public ProtocolPlan Plan { get; }

    public GenerationRequest Request { get; }

    public TransmissionOptions Options { get; }

    public PlanSchedule Schedule { get; }

    public Dictionary<NodeId, NodeMemory> Memories { get; }

    public TimeSpan[] StepTime { get; }

    /// <summary>Runs step <paramref name="index"/>, a stage or a transfer.</summary>
    public void RunStep(int index)
    {
        if (Plan.Steps[index] is Stage stage)
        {
            RunStage(index, stage);
        }
        else
        {
            RunTransfer(index, (Transfer)Plan.Steps[index]);
        }
    }

    public void RunStage(int index, Stage stage) =>
        StepTime[index] = _runner.Run(stage, Plan, Memories[stage.Node], Request, Options);

    public void RunTransfer(int index, Transfer transfer)
    {
        var from = Memories[transfer.From];
        var to = Memories[transfer.To];
        var crossing = Stopwatch.GetTimestamp();
        _records[index] = _transport.Send(transfer, from, to, PayloadTransport.NoiseRandomSeed(Options.ChannelRandomSeed, Schedule.TransferIndexOf(index)));
        StepTime[index] = Stopwatch.GetElapsedTime(crossing);
        if (_keepPayloads)
        {
            _payloads[index] = transfer.Artifacts.Where(a => a.Kind != ArtifactKind.Prompt)
                .Select(a => new PayloadSnapshot(transfer, a, from.Get<object>(a), to.Get<object>(a))).ToList();
        }
    }

    /// <summary>What every node holds now.</summary>
    public IReadOnlyDictionary<NodeId, NodeMemorySnapshot> Snapshot() => Memories.ToDictionary(kv => kv.Key, kv => kv.Value.Snapshot());

    public void Restore(IReadOnlyDictionary<NodeId, NodeMemorySnapshot> held)
    {
        foreach (var (node, snapshot) in held)
        {
            Memories[node].Restore(snapshot);
        }
    }

    /// <summary>Whether every node holds what <paramref name="held"/> says, bit for bit.</summary>
    public bool Holds(IReadOnlyDictionary<NodeId, NodeMemorySnapshot> held) =>
        held.All(kv => Memories[kv.Key].Snapshot().SameContent(kv.Value));

    public ExecutionResult Result()
    {
        var ue = Memories[NodeId.UserEquipment];
        var images = Enumerable.Range(0, Plan.ImagesPerRequest).Select(s => ue.Get<RgbImage>(Artifact.ImageOf(s))).ToArray();
        return new ExecutionResult(Plan, images, _records.OfType<TransferRecord>().ToList(),
            _payloads.Where(p => p is not null).SelectMany(p => p!).ToList(), StepTime);
    }
}
