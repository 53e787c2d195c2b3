namespace Meg.Chaos.Fuzzing;

/// <summary>One malformed request: its kind (types, encodings, sizes, headers, images, ids, methods, queries), what is
/// wrong with it, and the request itself. <paramref name="Field"/> is the field a 400 must name, when it is known.</summary>
public sealed record FuzzCase(
    string Kind,
    string What,
    string Method,
    string Path,
    byte[]? Body = null,
    string? ContentType = "application/json",
    IReadOnlyDictionary<string, string>? Headers = null,
    string? Field = null);
