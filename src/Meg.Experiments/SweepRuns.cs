using Meg.Diffusion.Batching;
using Meg.Execution;
using Meg.Protocols.Plans;

namespace Meg.Experiments;

/// <summary>
/// How the runs of one item of the sweep execute. Fast: each plan's prefix (its steps before the first noisy transfer)
/// is computed once and every run resumes from it (<see cref="PlanPrefix"/>), and the item's runs over the channel go at
/// once through one <see cref="ModelBatcher"/>, so their remaining denoising steps share UNet calls (a batched call gives
/// every item bit for bit what it gets alone). Otherwise: every run whole, one after the other. Both give the same images.
/// </summary>
internal sealed class SweepRuns
{
    private readonly PlanExecutor _direct;
    private readonly PlanExecutor? _batched;
    private readonly Dictionary<string, PlanPrefix>? _prefixes;
    private readonly GenerationRequest _request;

    private SweepRuns(PlanExecutor direct, PlanExecutor? batched, Dictionary<string, PlanPrefix>? prefixes, GenerationRequest request) =>
        (_direct, _batched, _prefixes, _request) = (direct, batched, prefixes, request);

    /// <summary>Whole runs, one after the other (the sweep before prefixes).</summary>
    public static SweepRuns Whole(PlanExecutor direct, GenerationRequest request) => new(direct, null, null, request);

    /// <summary>Computes the prefix of every plan in <paramref name="plans"/> (once per name) over <paramref name="prefixOptions"/>;
    /// a stage that an earlier plan's prefix ran on the same inputs is taken from it (<see cref="StageMemo"/>).</summary>
    public static SweepRuns Resumed(PlanExecutor direct, PlanExecutor batched, IEnumerable<ProtocolPlan> plans, GenerationRequest request,
        TransmissionOptions prefixOptions)
    {
        var memo = new StageMemo(request);
        return new(direct, batched, plans.DistinctBy(p => p.Name).ToDictionary(p => p.Name, p => direct.RunPrefix(p, request, prefixOptions, memo)), request);
    }

    public int PrefixCount => _prefixes?.Count ?? 0;

    /// <summary>One run alone, so each step's compute time is its own (the noiseless references report theirs).</summary>
    public ExecutionResult Alone(ProtocolPlan plan, TransmissionOptions transmission) => _prefixes is null
        ? _direct.Run(plan, _request, transmission, concurrent: false)
        : _direct.Resume(_prefixes[plan.Name], transmission);

    /// <summary>Every run of <paramref name="runs"/>, results in the same order. Resumed, they run at once, each on its own
    /// thread, through the batcher; their compute times then include the wait for a batch.</summary>
    public IReadOnlyList<ExecutionResult> All(IReadOnlyList<(ProtocolPlan Plan, TransmissionOptions Transmission)> runs)
    {
        if (_prefixes is null || _batched is null)
        {
            return runs.Select(r => Alone(r.Plan, r.Transmission)).ToArray();
        }

        var results = new ExecutionResult[runs.Count];
        var errors = new Exception?[runs.Count];
        var threads = runs.Select((run, i) => new Thread(() =>
        {
            try
            {
                results[i] = _batched.Resume(_prefixes[run.Plan.Name], run.Transmission);
            }
            catch (Exception e)
            {
                errors[i] = e;
            }
        }) { IsBackground = true, Name = $"meg-sweep-run-{i}" }).ToArray();
        foreach (var thread in threads)
        {
            thread.Start();
        }

        foreach (var thread in threads)
        {
            thread.Join();
        }

        return errors.FirstOrDefault(e => e is not null) is { } error ? throw new AggregateException(error) : results;
    }
}
