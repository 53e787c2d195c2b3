namespace Meg.Tracing;

/// <summary>A span as a service exported it: its trace, its parent, its service, what it did and when.</summary>
public sealed record TraceSpan(
    string TraceId,
    string SpanId,
    string ParentSpanId,
    string Service,
    string Scope,
    string Name,
    SpanKind Kind,
    long StartUnixNano,
    long EndUnixNano,
    IReadOnlyDictionary<string, object> Attributes)
{
    public string? Tag(string key) => Attributes.TryGetValue(key, out var value) ? Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture) : null;
}
