namespace Meg.Distributed.Access;

/// <summary>Who sent a request: a client's name, and whether it is the administrator (who sees every job).</summary>
public sealed record ApiClient(string Name, bool IsAdmin)
{
    public const string AdminName = "admin";

    /// <summary>A request without a known key (it gets no further than a 401, but is rate-limited on the way).</summary>
    public static ApiClient Stranger { get; } = new("stranger", IsAdmin: false);

    /// <summary>Everyone, when access control is off.</summary>
    public static ApiClient Anyone { get; } = new("anyone", IsAdmin: true);

    /// <summary>Whether this client may see a job submitted by <paramref name="owner"/>.</summary>
    public bool MaySee(string? owner) => IsAdmin || owner == Name;
}
