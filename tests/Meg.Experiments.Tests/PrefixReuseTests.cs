using Meg.Diffusion.Pipeline;
using Meg.Protocols.BuiltIn;
using Meg.Protocols;

namespace Meg.Experiments.Tests;

/// <summary>The sweep resumed from (protocol, item) prefixes, its noisy runs batched, against every run computed whole.</summary>
public sealed class PrefixReuseTests : IDisposable
{
    private readonly DiffusionPipeline _pipeline = DiffusionPipeline.Load(RepositoryLayout.TestFixture("fp32-sketch-conditioned"));

    [Fact]
    public void The_resumed_sweep_gives_the_whole_runs_tables_and_computes_one_prefix_per_protocol_and_item()
    {
        var items = EvaluationSet.Load(Path.Combine(RepositoryLayout.TestFixture("fp32-sketch-conditioned"), "eval")).Items.Take(2).ToArray();
        var options = new ExperimentOptions { Protocols = ProtocolCatalog.CaseStudy, Items = 2, SnrDb = [-10, 0, 10], Steps = 8, Plan = new PlanParameters { SketchSide = 8 } };
        var wholeRunner = new ExperimentRunner(_pipeline, null) { ReusePrefixes = false };
        var resumedRunner = new ExperimentRunner(_pipeline, null);

        var whole = wholeRunner.Run(options, items);
        var resumed = resumedRunner.Run(options, items);

        Assert.Equal(ExperimentReport.SummaryCsv(whole), ExperimentReport.SummaryCsv(resumed));
        Assert.Equal(ExperimentReport.ItemsCsv(whole), ExperimentReport.ItemsCsv(resumed));
        // 5 protocols, EIUG+robust, ESUC's control and Centralized's 3 image baselines, at 3 SNRs for 2 items.
        Assert.Equal(2 * 10 * 3, resumed.Items.Count);
        // Once per (protocol, item), Centralized included once: not once per SNR, decoder or noiseless reference.
        Assert.Equal(items.Length * ProtocolCatalog.CaseStudy.Count, resumedRunner.PrefixesComputed);
        Assert.Equal(0, wholeRunner.PrefixesComputed);
    }

    public void Dispose() => _pipeline.Dispose();
}
