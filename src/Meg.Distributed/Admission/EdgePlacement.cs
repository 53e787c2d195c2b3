namespace Meg.Distributed.Admission;

/// <summary>
/// Which edge-server instance plays each ES role of a job: the heaviest role goes to the least-loaded instance, the
/// next to the next, each role on its own instance, so single-ES jobs spread over all K instances and multi-ES jobs get
/// the least-loaded ones. Load is the work (model evaluations) placed on an instance by jobs that have not ended.
/// </summary>
public static class EdgePlacement
{
    /// <summary>The instance (1..<paramref name="instances"/>) for each role, in role order. Ties go to the lower index.</summary>
    public static int[] Choose(IReadOnlyList<double> roleWork, IReadOnlyDictionary<int, double> load, int instances)
    {
        if (roleWork.Count > instances)
        {
            throw new ArgumentException($"The plan uses {roleWork.Count} edge servers but the deployment runs {instances}.", nameof(roleWork));
        }

        var free = Enumerable.Range(1, instances).OrderBy(i => load.GetValueOrDefault(i)).ThenBy(i => i).ToList();
        var chosen = new int[roleWork.Count];
        foreach (var role in Enumerable.Range(0, roleWork.Count).OrderByDescending(r => roleWork[r]).ThenBy(r => r))
        {
            chosen[role] = free[0];
            free.RemoveAt(0);
        }

        return chosen;
    }
}
