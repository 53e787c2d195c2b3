using System.Diagnostics;
using Meg.Diffusion.Pipeline;
using Meg.Execution.Scheduling;
using Meg.Imaging;
using Meg.Protocols.Plans;

namespace Meg.Execution;

/// <summary>
/// Runs any plan in one process: every node holds its own memory, the plan's schedule is walked as the services walk
/// it (<see cref="ScheduleWalk"/>: the same commands, the same waits, the same waves of stages), stages run through the
/// shared <see cref="StageRunner"/>, and every transfer crosses the channel emulator and is counted.
/// </summary>
public sealed class PlanExecutor(StageRunner runner)
{
    private readonly StageRunner _runner = runner;

    public PlanExecutor(DiffusionPipeline pipeline) : this(new StageRunner(pipeline))
    {
    }

    /// <summary>Runs plans whose model calls go through <paramref name="calls"/>: with a <see cref="Meg.Diffusion.Batching.ModelBatcher"/>,
    /// plans run at once on several threads share its batched calls (many experiment items at once).</summary>
    public PlanExecutor(Meg.Diffusion.Batching.IModelCalls calls) : this(new StageRunner(calls))
    {
    }

    public StageRunner Runner => _runner;

    /// <summary>
    /// Runs <paramref name="plan"/>. <paramref name="concurrent"/>: independent commands and encoders run at the same
    /// time, as in the services; off, one step at a time, so each step's time is its own (the case study's compute
    /// times). The images do not depend on it: every step reads only what the steps it waits for wrote.
    /// </summary>
    public ExecutionResult Run(ProtocolPlan plan, GenerationRequest request, TransmissionOptions options, bool keepPayloads = false, bool concurrent = true)
    {
        plan.Validate();
        _runner.RequireCompatible(plan, request);
        var schedule = PlanSchedule.Of(plan);
        var memories = plan.Nodes.ToDictionary(n => n, n => new NodeMemory(n));
        var ue = memories[NodeId.UserEquipment];
        ue.Put(Artifact.Prompt, request.Prompt);
        ue.Put(Artifact.InputImage, request.InputImage);
        var transport = new PayloadTransport(options);
        // Kept by step, so records and payloads come out in plan order whatever finished first.
        var records = new TransferRecord?[plan.Steps.Count];
        var payloads = new List<PayloadSnapshot>?[plan.Steps.Count];
        var stepTime = new TimeSpan[plan.Steps.Count];

        void RunTransfer(int index, Transfer transfer)
        {
            var from = memories[transfer.From];
            var to = memories[transfer.To];
            var crossing = Stopwatch.GetTimestamp();
            records[index] = transport.Send(transfer, from, to, PayloadTransport.NoiseRandomSeed(options.ChannelRandomSeed, schedule.TransferIndexOf(index)));
            stepTime[index] = Stopwatch.GetElapsedTime(crossing);
            if (keepPayloads)
            {
                payloads[index] = transfer.Artifacts.Where(a => a.Kind != ArtifactKind.Prompt)
                    .Select(a => new PayloadSnapshot(transfer, a, from.Get<object>(a), to.Get<object>(a))).ToList();
            }
        }

        ScheduleWalk.Run(schedule, concurrent, command =>
        {
            var steps = Enumerable.Range(command.FirstStep, command.Count).ToArray();
            if (plan.Steps[command.FirstStep] is Stage)
            {
                var stages = steps.Select(i => (Stage)plan.Steps[i]).ToArray();
                ScheduleWalk.RunWaves(stages, concurrent, k =>
                    stepTime[steps[k]] = _runner.Run(stages[k], plan, memories[stages[k].Node], request, options));
            }
            else
            {
                // A command's transfers share one link and go one after the other, as in the channel emulator.
                foreach (var index in steps)
                {
                    RunTransfer(index, (Transfer)plan.Steps[index]);
                }
            }
        });

        var images = Enumerable.Range(0, plan.ImagesPerRequest).Select(s => ue.Get<RgbImage>(Artifact.ImageOf(s))).ToArray();
        return new ExecutionResult(plan, images, records.OfType<TransferRecord>().ToList(),
            payloads.Where(p => p is not null).SelectMany(p => p!).ToList(), stepTime);
    }

    /// <summary>The monolithic pipeline for image <paramref name="share"/>: the reference seed-based plans must match bit for bit.</summary>
    public RgbImage RunMonolithic(GenerationRequest request, int share = 0) =>
        _runner.Pipeline.Generate(request.Prompt, request.InputImage, request.SettingsOf(share));
}
