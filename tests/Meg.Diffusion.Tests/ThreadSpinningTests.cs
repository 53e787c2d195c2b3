using Meg.Diffusion.Models;
using Meg.Diffusion.Pipeline;

namespace Meg.Diffusion.Tests;

public class ThreadSpinningTests
{
    [Fact]
    public void Spinning_threads_stop_when_a_run_returns()
    {
        var entries = SessionFactory.ThreadingEntries(new ExecutionOptions { AllowSpinning = true });

        Assert.Contains(("session.force_spinning_stop", "1"), entries);
        Assert.DoesNotContain(entries, e => e.Key.EndsWith(".allow_spinning", StringComparison.Ordinal));
    }

    [Fact]
    public void Without_spinning_neither_thread_pool_spins()
    {
        var entries = SessionFactory.ThreadingEntries(new ExecutionOptions { AllowSpinning = false });

        Assert.Contains(("session.intra_op.allow_spinning", "0"), entries);
        Assert.Contains(("session.inter_op.allow_spinning", "0"), entries);
    }

    [Fact]
    public void Spinning_changes_no_pixel()
    {
        var settings = new GenerationSettings { Steps = 3, Guidance = 2, RandomSeed = 7 };
        using var spinning = DiffusionPipeline.Load(RepositoryLayout.TestFixture("fp32-int64"), new ExecutionOptions { AllowSpinning = true, IntraOpThreads = 2 });
        using var quiet = DiffusionPipeline.Load(RepositoryLayout.TestFixture("fp32-int64"), new ExecutionOptions { AllowSpinning = false, IntraOpThreads = 2 });

        Assert.Equal(quiet.Generate("a blue square", null, settings), spinning.Generate("a blue square", null, settings));
    }
}
