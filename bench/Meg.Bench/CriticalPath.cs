using Meg.Distributed.Telemetry;
using Meg.Execution.Scheduling;
using Meg.Tracing;

namespace Meg.Bench;

/// <summary>One command on a job's critical path, from its trace: the broker's transit to it, then its worker's time until
/// it handed the job on (sent the next command on the path, or started it in place), split by the command's own spans.</summary>
/// <param name="FirstStep">The command's first plan step.</param>
/// <param name="Worker">The service that ran it.</param>
/// <param name="TransitMs">Send started to the worker's receive started (0 for a command the UE started in place).</param>
/// <param name="StorageMs">The command's storage spans (loads, stores, the text cache, the join sets) on the path.</param>
/// <param name="ComputeMs">The command's model or channel spans on the path.</param>
/// <param name="WorkerMs">The rest: MassTransit's consume around the spans, and the hand-off to the next send.</param>
internal sealed record PathHop(int FirstStep, string Worker, double TransitMs, double StorageMs, double ComputeMs, double WorkerMs);

/// <summary>
/// A job's critical path through its trace: the chain of commands, each released (or started in place) by the one
/// before it, from the POST to the PNG. It starts at the command whose release came last and walks back: a command's
/// receive span hangs under the send span of the worker that released it (MassTransit carries the trace), and a command
/// the UE started in place shares its consume span with the one before. The parts add up to the client's latency:
/// <see cref="SubmitMs"/> (POST to the first command sent: gateway, validation, storing the job), each hop, then
/// <see cref="EndMs"/> (the last command released to the waiting image request woken: its record, the job's status and
/// the announcement) and <see cref="AnswerMs"/> (woken to PNG received: status and image read, PNG, gateway).
/// </summary>
internal sealed record CriticalPath(double SubmitMs, IReadOnlyList<PathHop> Hops, double EndMs, double AnswerMs)
{
    public double TotalMs => SubmitMs + Hops.Sum(h => h.TransitMs + h.StorageMs + h.ComputeMs + h.WorkerMs) + EndMs + AnswerMs;

    /// <summary>The path of one job, or null when its trace lacks a span the walk needs.</summary>
    public static CriticalPath? Of(IReadOnlyList<TraceSpan> spans, PlanSchedule schedule, long postedUnixNano, long answeredUnixNano)
    {
        var byId = spans.GroupBy(s => s.SpanId).ToDictionary(g => g.Key, g => g.First());
        TraceSpan? Parent(TraceSpan span) => byId.GetValueOrDefault(span.ParentSpanId);
        TraceSpan? Own(string name, int step) => spans.Where(s => s.Scope == MegTracing.SourceName && s.Name == name && s.Tag("meg.step") == $"{step}")
            .MinBy(s => s.StartUnixNano); // a redelivered command's first run

        // Per command: its load (its first span), the consume span it runs in, and that consume's receive and send.
        var commands = new List<(PlanCommand Command, TraceSpan Load, TraceSpan Consume, TraceSpan? Receive, TraceSpan? Send, TraceSpan Release)>();
        foreach (var command in schedule.Commands)
        {
            if (Own("load", command.FirstStep) is not { } load || Parent(load) is not { } consume || Own("release", command.FirstStep) is not { } release)
            {
                return null;
            }

            var receive = consume;
            while (Parent(receive) is { Scope: "MassTransit", Kind: SpanKind.Consumer } outer)
            {
                receive = outer;
            }

            commands.Add((command, load, consume, receive.Scope == "MassTransit" ? receive : null, Parent(receive) is { Kind: SpanKind.Producer } send ? send : null, release));
        }

        if (spans.FirstOrDefault(s => s.Tag("meg.part") == MegTracing.Parts.Waiting) is not { } wait)
        {
            return null;
        }

        // Back from the command whose release came last.
        var chain = new List<int>();
        var at = commands.Select((c, i) => (c, i)).MaxBy(x => x.c.Release.EndUnixNano).i;
        while (chain.Count <= commands.Count)
        {
            chain.Add(at);
            var (_, load, consume, _, send, _) = commands[at];
            // Started in place: the command before it in the same consume span.
            var inPlace = commands.Select((c, i) => (c, i)).Where(x => x.c.Consume.SpanId == consume.SpanId && x.c.Load.StartUnixNano < load.StartUnixNano)
                .Select(x => (int?)x.i).LastOrDefault();
            int? before = inPlace;
            if (before is null && send is not null)
            {
                // Sent by a worker: of the commands in the consume span that holds the send, the one whose release came
                // last before it (a worker sends what a command released right after its release; the UE's consume span
                // may hold a command started in place that is still computing then).
                for (var span = Parent(send); span is not null && before is null; span = Parent(span))
                {
                    before = commands.Select((c, i) => (c, i))
                        .Where(x => x.c.Consume.SpanId == span.SpanId && x.c.Release.EndUnixNano <= send.StartUnixNano)
                        .OrderBy(x => x.c.Release.EndUnixNano).Select(x => (int?)x.i).LastOrDefault();
                }
            }

            if (before is null)
            {
                break; // sent by the jobs API: the first command on the path
            }

            at = before.Value;
        }

        chain.Reverse();
        var first = commands[chain[0]];
        if (first.Send is null)
        {
            return null;
        }

        var hops = new List<PathHop>();
        for (var k = 0; k < chain.Count; k++)
        {
            var (command, load, _, receive, send, release) = commands[chain[k]];
            var inPlace = k > 0 && commands[chain[k - 1]].Consume.SpanId == commands[chain[k]].Consume.SpanId;
            var brokered = !inPlace && receive is not null && send is not null;
            var start = brokered ? receive!.StartUnixNano : load.StartUnixNano;
            var transit = brokered ? (receive!.StartUnixNano - send!.StartUnixNano) / 1e6 : 0;
            var next = k + 1 < chain.Count ? commands[chain[k + 1]] : default;
            var end = k + 1 == chain.Count
                ? release.EndUnixNano
                : next.Consume.SpanId == commands[chain[k]].Consume.SpanId ? next.Load.StartUnixNano : next.Send!.StartUnixNano;
            var (storage, compute, other) = Split(spans, command, start, end);
            hops.Add(new PathHop(command.FirstStep, commands[chain[k]].Load.Service, transit, storage, compute, other));
        }

        return new CriticalPath(
            (first.Send.StartUnixNano - postedUnixNano) / 1e6,
            hops,
            (wait.EndUnixNano - commands[chain[^1]].Release.EndUnixNano) / 1e6,
            (answeredUnixNano - wait.EndUnixNano) / 1e6);
    }

    /// <summary>A command's time from <paramref name="from"/> to <paramref name="to"/>: in its storage spans, in its compute
    /// spans (compute first where both are open), and neither.</summary>
    private static (double Storage, double Compute, double Other) Split(IReadOnlyList<TraceSpan> spans, PlanCommand command, long from, long to)
    {
        var own = spans.Where(s => s.Scope == MegTracing.SourceName && int.TryParse(s.Tag("meg.step"), out var step) && step >= command.FirstStep && step <= command.LastStep
                                   && s.Tag("meg.part") is MegTracing.Parts.Storage or MegTracing.Parts.Compute && s.Name != "record")
            .Select(s => (From: Math.Max(s.StartUnixNano, from), To: Math.Min(s.EndUnixNano, to), Compute: s.Tag("meg.part") == MegTracing.Parts.Compute))
            .Where(s => s.To > s.From).ToArray();
        var bounds = own.SelectMany(s => new[] { s.From, s.To }).Append(from).Append(Math.Max(from, to)).Distinct().Order().ToArray();
        double storage = 0, compute = 0, other = 0;
        for (var i = 0; i + 1 < bounds.Length; i++)
        {
            var (a, b) = (bounds[i], bounds[i + 1]);
            var open = own.Where(s => s.From <= a && s.To >= b).ToArray();
            var ms = (b - a) / 1e6;
            if (open.Any(s => s.Compute))
            {
                compute += ms;
            }
            else if (open.Length > 0)
            {
                storage += ms;
            }
            else
            {
                other += ms;
            }
        }

        return (storage, compute, other);
    }
}
