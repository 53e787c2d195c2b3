namespace Meg.Distributed.Admission;

/// <summary>
/// Which edge-server instance plays each ES role of a job: the heaviest role goes to the least-loaded instance, the
/// next to the next, each role on its own instance, so single-ES jobs spread over all K instances and multi-ES jobs get
/// the least-loaded ones. Load is the work (model evaluations) placed on an instance by jobs that have not ended.
/// Ties go round: the caller names the instance to prefer first, so idle instances take turns instead of es-1
/// taking every job of a light load.
/// </summary>
public static class EdgePlacement
{
    /// <summary>The instance (1..<paramref name="instances"/>) for each role, in role order. Among equally loaded
    /// instances, <paramref name="firstOnTie"/> comes first, then the ones after it, wrapping round.</summary>
    public static int[] Choose(IReadOnlyList<double> roleWork, IReadOnlyDictionary<int, double> load, int instances, int firstOnTie = 1)
    {
        if (roleWork.Count > instances)
        {
            throw new ArgumentException($"The plan uses {roleWork.Count} edge servers but the deployment runs {instances}.", nameof(roleWork));
        }

        if (firstOnTie < 1 || firstOnTie > instances)
        {
            throw new ArgumentOutOfRangeException(nameof(firstOnTie), $"The instance to prefer on a tie must be in 1..{instances}; got {firstOnTie}.");
        }

        var free = Enumerable.Range(1, instances).OrderBy(i => load.GetValueOrDefault(i)).ThenBy(i => (i - firstOnTie + instances) % instances).ToList();
        var chosen = new int[roleWork.Count];
        foreach (var role in Enumerable.Range(0, roleWork.Count).OrderByDescending(r => roleWork[r]).ThenBy(r => r))
        {
            chosen[role] = free[0];
            free.RemoveAt(0);
        }

        return chosen;
    }
}
