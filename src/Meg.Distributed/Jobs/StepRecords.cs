using System.Text.Json;
using Meg.Contracts;
using Meg.Protocols.Plans;

namespace Meg.Distributed.Jobs;

/// <summary>Turns the commands' records (<see cref="StepCompleted"/>, one per finished command) into a status's steps
/// and per-link totals.</summary>
public static class StepRecords
{
    /// <summary>The records stored in a job's progress hash (field = the command's first step).</summary>
    public static IReadOnlyList<StepCompleted> Read(IReadOnlyDictionary<string, byte[]> entries) =>
        entries.Values.Select(bytes => JsonSerializer.Deserialize<StepCompleted>(bytes, MegJson.Options)
            ?? throw new InvalidOperationException("An empty record in a job's progress.")).ToArray();

    public static byte[] Write(StepCompleted report) => JsonSerializer.SerializeToUtf8Bytes(report, MegJson.Options);

    /// <summary><paramref name="status"/> with the steps of <paramref name="reports"/> (in plan order) and their totals.</summary>
    public static JobStatus WithSteps(JobStatus status, ProtocolPlan plan, IEnumerable<StepCompleted> reports)
    {
        var steps = reports.SelectMany(r => Of(plan, r)).OrderBy(s => s.Index).ToList(); // commands finish in any order
        return status with { Steps = steps, Accounting = Totals(steps) };
    }

    /// <summary>One record per plan step the report covers: the later steps of a command waited for nothing but the
    /// step before them on the same worker, or started beside it.</summary>
    private static IEnumerable<StepRecord> Of(ProtocolPlan plan, StepCompleted report)
    {
        var runs = report.Runs;
        for (var k = 0; k < runs.Count; k++)
        {
            var sentAt = k == 0 ? report.SentAt : runs[k].StartedAt ?? runs[k - 1].FinishedAt;
            var finishedAt = runs[k].FinishedAt;
            var queueMs = k == 0 ? report.QueueMs : 0;
            yield return plan.Steps[report.StepIndex + k] switch
            {
                Transfer t => new StepRecord(report.StepIndex + k, "transfer", t.Describe(), $"{t.From}->{t.To}", report.Worker,
                    queueMs, runs[k].ServiceMs, false, t.Link.ShortName(), runs[k].Transfer, sentAt, finishedAt, runs[k].ComputeMs),
                Stage s => new StepRecord(report.StepIndex + k, "stage", s.Describe(), s.Node.ToString(), report.Worker,
                    queueMs, runs[k].ServiceMs, runs[k].CacheHit, SentAt: sentAt, FinishedAt: finishedAt, ComputeMs: runs[k].ComputeMs),
                var other => throw new InvalidOperationException($"Unknown step type {other.GetType().Name}."),
            };
        }
    }

    private static List<LinkAccounting> Totals(IEnumerable<StepRecord> steps) =>
        steps.Where(s => s.Transfer is not null)
            .GroupBy(s => s.Link!)
            .Select(g => new LinkAccounting(g.Key, g.Sum(s => s.Transfer!.Values), g.Sum(s => s.Transfer!.Bits),
                g.Sum(s => s.Transfer!.ChannelUses), g.Sum(s => s.Transfer!.AirtimeSeconds)))
            .OrderBy(l => l.Link)
            .ToList();
}
