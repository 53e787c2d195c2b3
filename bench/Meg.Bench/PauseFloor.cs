namespace Meg.Bench;

/// <summary>
/// What resuming the UNet costs on this machine with no second process, broker or store: CIAG's last five steps right
/// after its middle ten (as in one process), against after the UNet waited as long as the middle ten take (as the UE
/// does while ES1 works). On a shared cloud machine the UNet runs slower for a few steps after a pause of more than a
/// few milliseconds, so every stage of a split protocol that resumes it pays about this.
/// </summary>
internal static class PauseFloor
{
    /// <summary>Milliseconds the last stage took more after the pause, per round (after three unmeasured).</summary>
    public static IReadOnlyList<double> Measure(UnetStages work, int rounds)
    {
        var extras = new List<double>();
        for (var round = -3; round < rounds; round++)
        {
            var busy = UnetStages.Ciag.Select(work.Stage).ToArray();
            var resumed = work.LastAfterPause(TimeSpan.FromMilliseconds(busy[1].Sum())).Sum();
            if (round >= 0)
            {
                extras.Add(resumed - busy[^1].Sum());
            }
        }

        return extras;
    }
}
