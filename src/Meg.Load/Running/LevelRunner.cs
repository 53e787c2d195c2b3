using System.Collections.Concurrent;
using System.Diagnostics;
using Meg.Channel.Randomness;
using Meg.Load.Arrivals;

namespace Meg.Load.Running;

/// <summary>One level of a load run: a protocol (or mix) at one offered rate, open loop (or N closed-loop users).</summary>
public sealed record LoadLevel(int Index, string Label, ProtocolMix Mix, double OfferedRate, IReadOnlyList<PlannedRequest> Planned, bool Closed = false)
{
    /// <summary>Closed loop: how many users, each sending at most <see cref="RequestsPerUser"/> requests, with a mean think
    /// time of <see cref="Think"/> between a request's end and the user's next.</summary>
    public int Users { get; init; }

    public int RequestsPerUser { get; init; } = int.MaxValue;

    public TimeSpan Think { get; init; }
}

/// <summary>What a level measured: every request, and the queues before, during (sampled each second) and after.</summary>
public sealed record LevelResult(
    LoadLevel Spec,
    IReadOnlyList<RequestRecord> Requests,
    QueueSnapshotView? Before,
    QueueSnapshotView? After,
    IReadOnlyList<QueueSnapshotView> Samples);

/// <summary>
/// Sends a level's requests at their planned times, whatever happens to the ones before (open loop), and waits for
/// each to end. Latency counts from the planned send time, so a generator or a server that falls behind shows in it
/// (no coordinated omission); how late each request went out is kept as well.
/// </summary>
public sealed class LevelRunner(LoadClient client, Workload workload, LoadOptions options, Action<string> progress)
{
    private int _number;

    public async Task<LevelResult> RunAsync(LoadLevel level, CancellationToken cancellationToken)
    {
        // Every request in flight holds a long poll: threads enough that arrivals are never late for want of one.
        ThreadPool.GetMinThreads(out var workers, out var io);
        ThreadPool.SetMinThreads(Math.Max(workers, 64), Math.Max(io, 64));
        await client.WarmUpAsync(cancellationToken);
        var before = await TryQueuesAsync(cancellationToken);
        var records = new ConcurrentBag<RequestRecord>();
        var samples = new List<QueueSnapshotView>();
        var clock = Stopwatch.StartNew();
        var origin = DateTimeOffset.UtcNow;
        var duration = options.Warmup + options.Duration;
        var deadline = origin + duration + options.Drain;
        using var sampling = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var sampler = SampleAsync(samples, sampling.Token);
        var reporter = ReportAsync(level, records, clock, duration, sampling.Token);

        var running = level.Closed
            ? RunClosedAsync(level, records, clock, duration, deadline, cancellationToken)
            : RunOpenAsync(level, records, clock, deadline, cancellationToken);
        await running;
        await sampling.CancelAsync();
        await Task.WhenAll(sampler, reporter);
        var after = await TryQueuesAsync(cancellationToken);
        progress($"[{level.Index + 1}] {level.Label}: done in {clock.Elapsed.TotalSeconds:0} s");
        return new LevelResult(level, records.OrderBy(r => r.IntendedMs).ToList(), before, after, samples);
    }

    private async Task RunOpenAsync(LoadLevel level, ConcurrentBag<RequestRecord> records, Stopwatch clock, DateTimeOffset deadline, CancellationToken cancellationToken)
    {
        var inFlight = new List<Task>();
        foreach (var planned in level.Planned.Take(options.MaxRequestsPerLevel))
        {
            await DelayUntilAsync(clock, planned.Offset, cancellationToken);
            // On its own task: nothing a send does (serializing, connecting) may hold back the next arrival.
            inFlight.Add(Task.Run(() => SendAsync(level, planned, clock, deadline, records, cancellationToken), cancellationToken));
        }

        await Task.WhenAll(inFlight);
    }

    /// <summary>N users, each sending its next request a think time (exponential, seeded per user) after its last one ended.</summary>
    private async Task RunClosedAsync(LoadLevel level, ConcurrentBag<RequestRecord> records, Stopwatch clock, TimeSpan duration,
        DateTimeOffset deadline, CancellationToken cancellationToken)
    {
        var items = workload.Items;
        var limit = Math.Min(level.RequestsPerUser, options.MaxRequestsPerLevel);
        await Task.WhenAll(Enumerable.Range(0, level.Users).Select(async user =>
        {
            var random = new Xoshiro256StarStar(SplitMix64.Derive(options.RandomSeed + (ulong)level.Index, (ulong)user));
            var think = TimeSpan.FromSeconds(-level.Think.TotalSeconds * Math.Log(1 - random.NextDouble()));
            var sent = 0;
            while (clock.Elapsed + think < duration && sent < limit)
            {
                await Task.Delay(think, cancellationToken);
                var planned = new PlannedRequest(clock.Elapsed, level.Mix.Draw(random.NextDouble()), (int)(random.NextDouble() * items));
                await SendAsync(level, planned, clock, deadline, records, cancellationToken);
                sent++;
                think = TimeSpan.FromSeconds(-level.Think.TotalSeconds * Math.Log(1 - random.NextDouble()));
            }
        }));
    }

    private async Task SendAsync(LoadLevel level, PlannedRequest planned, Stopwatch clock, DateTimeOffset deadline, ConcurrentBag<RequestRecord> records,
        CancellationToken cancellationToken)
    {
        var number = Interlocked.Increment(ref _number);
        var lateness = (clock.Elapsed - planned.Offset).TotalMilliseconds;
        var warmup = planned.Offset < options.Warmup;
        double Since() => (clock.Elapsed - planned.Offset).TotalMilliseconds;
        RequestRecord Record(string outcome, int status, Guid? id = null, double? e2e = null, double? retryAfter = null, string? error = null, JobView? job = null)
        {
            var steps = job?.Steps ?? [];
            double Sum(Func<StepView, bool> where, Func<StepView, double> value) => steps.Where(where).Sum(value);
            static bool Es(StepView s) => s.Kind == "stage" && s.Worker.StartsWith("es-", StringComparison.Ordinal);
            static bool Ue(StepView s) => s.Kind == "stage" && s.Worker == "ue";
            return new RequestRecord(level.Index, planned.Protocol, planned.Item, planned.Offset.TotalMilliseconds, Math.Max(0, lateness), warmup,
                outcome, status, id, e2e, retryAfter, error,
                Sum(Es, s => s.QueueMs), Sum(Es, s => s.ServiceMs), Sum(Ue, s => s.QueueMs), Sum(Ue, s => s.ServiceMs),
                Sum(s => s.Kind == "transfer", s => s.ServiceMs),
                string.Join("+", steps.Where(Es).Select(s => s.Worker).Distinct()));
        }

        try
        {
            var (id, status, retryAfter, error) = await client.SubmitAsync(workload.Request(planned.Protocol, planned.Item, number), cancellationToken);
            if (id is not { } job)
            {
                records.Add(Record(status == 503 ? Outcomes.Refused : Outcomes.Rejected, status, retryAfter: retryAfter, error: error));
                return;
            }

            var ended = await client.WaitForEndAsync(job, deadline, cancellationToken);
            var e2e = Since();
            records.Add(ended switch
            {
                { State: "completed" } => Record(Outcomes.Completed, 202, job, e2e, job: ended),
                { State: "failed" } when ended.Error?.Contains("waited", StringComparison.Ordinal) == true => Record(Outcomes.TimedOut, 202, job, e2e, error: ended.Error, job: ended),
                { State: "failed" } => Record(Outcomes.Failed, 202, job, e2e, error: ended.Error, job: ended),
                _ => Record(Outcomes.Unfinished, 202, job, error: $"still {ended?.State ?? "unknown"} when the level's drain ended"),
            });
        }
        catch (HttpRequestException e)
        {
            records.Add(Record(Outcomes.Rejected, (int?)e.StatusCode ?? 0, error: e.Message));
        }
        catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            records.Add(Record(Outcomes.Rejected, 0, error: "The HTTP request timed out."));
        }
    }

    /// <summary>Waits until <paramref name="offset"/> on <paramref name="clock"/>: a timer for the bulk, a short spin for
    /// the last millisecond, so requests go out on time even at high rates.</summary>
    private static async Task DelayUntilAsync(Stopwatch clock, TimeSpan offset, CancellationToken cancellationToken)
    {
        var left = offset - clock.Elapsed;
        if (left > TimeSpan.FromMilliseconds(2))
        {
            await Task.Delay(left - TimeSpan.FromMilliseconds(1), cancellationToken);
        }

        while (clock.Elapsed < offset)
        {
            Thread.SpinWait(50);
        }
    }

    private async Task SampleAsync(List<QueueSnapshotView> samples, CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1));
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken))
            {
                if (await TryQueuesAsync(cancellationToken) is { } snapshot)
                {
                    samples.Add(snapshot);
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    private async Task ReportAsync(LoadLevel level, ConcurrentBag<RequestRecord> records, Stopwatch clock, TimeSpan duration, CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(5));
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken))
            {
                var done = records.ToArray();
                var left = duration - clock.Elapsed;
                progress($"[{level.Index + 1}] {level.Label}: {Bar(clock.Elapsed / duration)} {done.Length}{(level.Closed ? "" : $"/{level.Planned.Count}")} ended, " +
                         $"{done.Count(r => r.Outcome == Outcomes.Refused)} refused, " +
                         (left > TimeSpan.Zero ? $"{left.TotalSeconds:0} s of arrivals left" : "draining"));
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    private static string Bar(double fraction)
    {
        var filled = (int)Math.Round(Math.Clamp(fraction, 0, 1) * 20);
        return "[" + new string('#', filled) + new string('.', 20 - filled) + "]";
    }

    private async Task<QueueSnapshotView?> TryQueuesAsync(CancellationToken cancellationToken)
    {
        try
        {
            return await client.QueuesAsync(cancellationToken);
        }
        catch (HttpRequestException)
        {
            return null;
        }
    }
}
