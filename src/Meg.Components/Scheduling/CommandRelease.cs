using System.Globalization;
using Meg.Components.Storage;
using Microsoft.Extensions.Options;

namespace Meg.Components.Scheduling;

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

    /// <summary>The successors of <paramref name="finished"/> that are ready now that it is done.</summary>
    public async Task<IReadOnlyList<PlanCommand>> AfterAsync(Guid job, PlanSchedule schedule, PlanCommand finished)
    {
        var successors = schedule.Successors(finished).ToArray();
        var ready = await Task.WhenAll(successors.Select(async next => next.Predecessors.Count <= 1
            || await store.SetAddAndCountAsync(Key(job, next.FirstStep), finished.FirstStep.ToString(CultureInfo.InvariantCulture), options.Value.PayloadTtl)
                >= next.Predecessors.Count));
        return successors.Where((_, i) => ready[i]).ToArray();
    }
}
