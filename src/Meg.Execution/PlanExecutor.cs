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
        var run = new PlanRunState(_runner, plan, request, options, keepPayloads);
        ScheduleWalk.Run(run.Schedule, concurrent, command =>
        {
            var steps = Enumerable.Range(command.FirstStep, command.Count).ToArray();
            if (plan.Steps[command.FirstStep] is Stage)
            {
                var stages = steps.Select(i => (Stage)plan.Steps[i]).ToArray();
                ScheduleWalk.RunWaves(stages, concurrent, k => run.RunStage(steps[k], stages[k]));
            }
            else
            {
                // A command's transfers share one link and go one after the other, as in the channel emulator.
                foreach (var index in steps)
                {
                    run.RunTransfer(index, (Transfer)plan.Steps[index]);
                }
            }
        });

        return run.Result();
    }

    /// <summary>
    /// Runs <paramref name="plan"/>'s steps before its first transfer over one of <paramref name="options"/>' noisy links
    /// (<see cref="PlanPrefix.LengthOf"/>), one at a time, and keeps what every node held after each. With
    /// <paramref name="memo"/>, a stage that another prefix of the same request already ran on the same node memory
    /// takes that result and time instead of running again.
    /// </summary>
    public PlanPrefix RunPrefix(ProtocolPlan plan, GenerationRequest request, TransmissionOptions options, StageMemo? memo = null)
    {
        if (memo is not null && !ReferenceEquals(memo.Request, request))
        {
            throw new ArgumentException("The stage memo holds another request's stages.", nameof(memo));
        }

        var run = new PlanRunState(_runner, plan, request, options, keepPayloads: false);
        var steps = new List<PrefixStep>();
        for (var i = 0; i < PlanPrefix.LengthOf(plan, options.NoisyLinks); i++)
        {
            if (memo is not null && plan.Steps[i] is Stage stage)
            {
                var node = run.Memories[stage.Node];
                var before = node.Snapshot();
                if (memo.TryGet(stage, plan, options.RobustDecoder, before, out var after, out var time))
                {
                    node.Restore(after);
                    run.StepTime[i] = time;
                }
                else
                {
                    run.RunStage(i, stage);
                    var held = run.Snapshot();
                    memo.Add(stage, plan, options.RobustDecoder, before, held[stage.Node], run.StepTime[i]);
                    steps.Add(new PrefixStep(held, run.StepTime[i]));
                    continue;
                }
            }
            else
            {
                run.RunStep(i);
            }

            steps.Add(new PrefixStep(run.Snapshot(), run.StepTime[i]));
        }

        return new PlanPrefix(plan, request, options.RobustDecoder, steps);
    }

    /// <summary>
    /// Runs <paramref name="prefix"/>'s plan over <paramref name="options"/>, one step at a time, taking each prefix stage's
    /// result (and time) from the prefix instead of computing it again. The prefix's transfers are sent again, since their
    /// records and noise belong to this run; as long as every node then holds exactly what it held in the prefix, the
    /// stages that follow are taken from it, and from the first difference on (a payload the channel changed, or a
    /// decode with the other decoder) every step runs. The images, transfers and accounting are therefore exactly those
    /// of <see cref="Run"/>; only the prefix stages' times are the prefix's.
    /// </summary>
    public ExecutionResult Resume(PlanPrefix prefix, TransmissionOptions options, bool keepPayloads = false)
    {
        var run = new PlanRunState(_runner, prefix.Plan, prefix.Request, options, keepPayloads);
        var following = true; // every node holds what it held after the same step of the prefix
        for (var i = 0; i < prefix.Plan.Steps.Count; i++)
        {
            if (!following || i >= prefix.Length)
            {
                run.RunStep(i);
                continue;
            }

            var recorded = prefix.Steps[i];
            if (prefix.Plan.Steps[i] is Stage stage && !(stage.Kind == StageKind.VaeDecode && options.RobustDecoder != prefix.RobustDecoder))
            {
                // Same inputs, same seeded model calls: the stage would write exactly what it wrote in the prefix.
                run.Restore(recorded.After);
                run.StepTime[i] = recorded.Time;
                continue;
            }

            run.RunStep(i);
            following = run.Holds(recorded.After);
        }

        return run.Result();
    }

    /// <summary>The monolithic pipeline for image <paramref name="share"/>: the reference seed-based plans must match bit for bit.</summary>
    public RgbImage RunMonolithic(GenerationRequest request, int share = 0) =>
        _runner.Pipeline.Generate(request.Prompt, request.InputImage, request.SettingsOf(share));
}
