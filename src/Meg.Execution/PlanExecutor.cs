using System.Diagnostics;
using Meg.Diffusion.Pipeline;
using Meg.Imaging;
using Meg.Protocols.Plans;

namespace Meg.Execution;

/// <summary>
/// Runs any plan in one process: every node holds its own memory, stages run through the shared
/// <see cref="StageRunner"/>, and every transfer crosses the channel emulator and is counted.
/// </summary>
public sealed class PlanExecutor(DiffusionPipeline pipeline)
{
    private readonly StageRunner _runner = new(pipeline);

    public StageRunner Runner => _runner;

    public ExecutionResult Run(ProtocolPlan plan, GenerationRequest request, TransmissionOptions options, bool keepPayloads = false)
    {
        plan.Validate();
        _runner.RequireCompatible(plan, request);
        var memories = plan.Nodes.ToDictionary(n => n, n => new NodeMemory(n));
        var ue = memories[NodeId.UserEquipment];
        ue.Put(Artifact.Prompt, request.Prompt);
        ue.Put(Artifact.InputImage, request.InputImage);
        var transport = new PayloadTransport(options);
        var records = new List<TransferRecord>();
        var payloads = new List<PayloadSnapshot>();
        var transferIndex = 0;
        var stepTime = new TimeSpan[plan.Steps.Count];
        for (var index = 0; index < plan.Steps.Count; index++)
        {
            switch (plan.Steps[index])
            {
                case Stage stage:
                    stepTime[index] = _runner.Run(stage, plan, memories[stage.Node], request, options);
                    break;
                case Transfer transfer:
                    var from = memories[transfer.From];
                    var to = memories[transfer.To];
                    var crossing = Stopwatch.GetTimestamp();
                    records.Add(transport.Send(transfer, from, to, PayloadTransport.NoiseRandomSeed(options.ChannelRandomSeed, transferIndex++)));
                    stepTime[index] = Stopwatch.GetElapsedTime(crossing);
                    if (keepPayloads)
                    {
                        payloads.AddRange(transfer.Artifacts.Where(a => a.Kind != ArtifactKind.Prompt)
                            .Select(a => new PayloadSnapshot(transfer, a, from.Get<object>(a), to.Get<object>(a))));
                    }

                    break;
            }
        }

        var images = Enumerable.Range(0, plan.ImagesPerRequest).Select(s => ue.Get<RgbImage>(Artifact.ImageOf(s))).ToArray();
        return new ExecutionResult(plan, images, records, payloads, stepTime);
    }

    /// <summary>The monolithic pipeline for image <paramref name="share"/>: the reference seed-based plans must match bit for bit.</summary>
    public RgbImage RunMonolithic(GenerationRequest request, int share = 0) =>
        pipeline.Generate(request.Prompt, request.InputImage, request.SettingsOf(share));
}
