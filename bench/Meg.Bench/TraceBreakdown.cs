using Meg.Tracing;

namespace Meg.Bench;

/// <summary>What a moment of a job's time went to, as its trace tells.</summary>
internal enum TimeUse
{
    /// <summary>The model (a stage) or the channel (a transfer): span part "compute".</summary>
    Compute,

    /// <summary>Redis: payloads, job records, join sets, progress (span part "storage").</summary>
    Storage,

    /// <summary>A MassTransit send, publisher confirm included (producer spans).</summary>
    Send,

    /// <summary>A worker's MassTransit consume outside the services' own spans: deserializing, dispatch, acknowledging.</summary>
    Worker,

    /// <summary>The jobs API: validation, routing, the PNG, the HTTP server (the scheduler's server spans).</summary>
    Api,

    /// <summary>The YARP gateway: its server span and its forwarded request.</summary>
    Gateway,

    /// <summary>No span open: a message in the broker, a request on the wire, a hand-off between threads or processes.</summary>
    Untraced,
}

/// <summary>
/// Splits a job's time, from the client's POST to its PNG, by what its trace shows happening at each moment: every
/// moment counts once, for the most specific thing open then (in the order of <see cref="TimeUse"/>: compute before
/// storage before a send, and so on), so the parts add up to the client's latency. Branches that run at once (two edge
/// servers) count once where they overlap. An image request's wait for the job's end is not work: while it waits, the
/// spans around it (its server and gateway spans) do not count.
/// </summary>
internal static class TraceBreakdown
{
    public static Dictionary<TimeUse, double> Of(IReadOnlyList<TraceSpan> spans, long fromUnixNano, long toUnixNano)
    {
        // The wait of an image request, taken out of each of the spans it sits in.
        var byId = spans.GroupBy(s => s.SpanId).ToDictionary(g => g.Key, g => g.First());
        var masked = new Dictionary<string, List<(long From, long To)>>();
        foreach (var wait in spans.Where(s => s.Tag("meg.part") == "waiting"))
        {
            for (var parent = wait.ParentSpanId; byId.TryGetValue(parent, out var ancestor); parent = ancestor.ParentSpanId)
            {
                (masked.TryGetValue(ancestor.SpanId, out var list) ? list : masked[ancestor.SpanId] = []).Add((wait.StartUnixNano, wait.EndUnixNano));
            }
        }

        var intervals = new List<(long From, long To, TimeUse Use)>();
        foreach (var span in spans)
        {
            if (Use(span) is not { } use)
            {
                continue;
            }

            var pieces = new List<(long From, long To)> { (Math.Max(span.StartUnixNano, fromUnixNano), Math.Min(span.EndUnixNano, toUnixNano)) };
            foreach (var (maskFrom, maskTo) in masked.GetValueOrDefault(span.SpanId) ?? [])
            {
                pieces = pieces.SelectMany(p => Subtract(p, maskFrom, maskTo)).ToList();
            }

            intervals.AddRange(pieces.Where(p => p.To > p.From).Select(p => (p.From, p.To, use)));
        }

        var parts = Enum.GetValues<TimeUse>().ToDictionary(u => u, _ => 0.0);
        var bounds = intervals.SelectMany(i => new[] { i.From, i.To }).Append(fromUnixNano).Append(toUnixNano)
            .Where(t => t >= fromUnixNano && t <= toUnixNano).Distinct().Order().ToArray();
        for (var k = 0; k + 1 < bounds.Length; k++)
        {
            var (a, b) = (bounds[k], bounds[k + 1]);
            var open = intervals.Where(i => i.From <= a && i.To >= b).Select(i => i.Use).DefaultIfEmpty(TimeUse.Untraced).Min();
            parts[open] += (b - a) / 1e6;
        }

        return parts;
    }

    /// <summary>What a span's time goes to; null for a span that is not work (an image request's wait).</summary>
    private static TimeUse? Use(TraceSpan span) => span.Tag("meg.part") switch
    {
        "compute" => TimeUse.Compute,
        "storage" => TimeUse.Storage,
        "encoding" => TimeUse.Api,
        "waiting" => null,
        // The state machine's messages (the job started, the job ended) are on no job's path.
        _ when span.Scope == "MassTransit" && span.Service == "scheduler" && span.Kind != SpanKind.Producer => null,
        _ when span.Scope == "MassTransit" => span.Kind == SpanKind.Producer ? TimeUse.Send : TimeUse.Worker,
        _ when span.Service == "gateway" => TimeUse.Gateway,
        _ => TimeUse.Api,
    };

    private static IEnumerable<(long From, long To)> Subtract((long From, long To) piece, long from, long to)
    {
        if (to <= piece.From || from >= piece.To)
        {
            yield return piece;
            yield break;
        }

        if (from > piece.From)
        {
            yield return (piece.From, from);
        }

        if (to < piece.To)
        {
            yield return (to, piece.To);
        }
    }
}
