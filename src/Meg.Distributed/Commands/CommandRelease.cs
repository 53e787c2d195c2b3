using System.Globalization;
using Meg.Distributed.Storage;
using Meg.Execution.Scheduling;
using Microsoft.Extensions.Options;

namespace Meg.Distributed.Commands;

/// <summary>
/// Decides, when a command finishes, which of the commands after it are ready to go, so the worker that finished it
/// sends them on at once instead of a round trip through the scheduler. A command that waits for one predecessor is
/// ready when that one finishes. One that waits for several (CIAG's ES1 denoising waits for the uplinked seed and for
/// ES1's own text encoding) is released by whichever finishes last: each predecessor signs into a Redis set named
/// after it, and the one whose entry completes the set sends it. Signing in twice (a redelivered command) counts once.
/// </summary>
public sealed class CommandRelease(IBlobStore store, IOptions<StorageOptions> options)
{
    public static string Key(Guid job, int firstStep) => $"meg:job:{job:N}:release:{firstStep}";

    /// <summary>The successors of <paramref name="finished"/> that are ready now that it is done and its outputs are
    /// stored. <paramref name="stored"/> is the command's writes, already issued on this process's connection: the
    /// sign-ins go out behind them rather than after their replies (one round trip less on the job's path), which is
    /// safe because Redis runs one connection's commands in order, so whoever a sign-in releases reads the outputs.
    /// A failed write throws here and nothing is released; the retry signs in again, which counts once.</summary>
    public async Task<IReadOnlyList<PlanCommand>> AfterAsync(Guid job, PlanSchedule schedule, PlanCommand finished, Task stored)
    {
        var successors = schedule.Successors(finished).ToArray();
        var signIns = successors.Select(next => next.Predecessors.Count <= 1
            ? Task.FromResult(true)
            : SignInAsync(job, next, finished)).ToArray();
        var signingIn = Task.WhenAll(signIns);
        await Task.WhenAll(stored, signingIn);
        var ready = await signingIn;
        return successors.Where((_, i) => ready[i]).ToArray();
    }

    private async Task<bool> SignInAsync(Guid job, PlanCommand next, PlanCommand finished) =>
        await store.SetAddAndCountAsync(Key(job, next.FirstStep), finished.FirstStep.ToString(CultureInfo.InvariantCulture), options.Value.PayloadTtl)
            >= next.Predecessors.Count;
}
