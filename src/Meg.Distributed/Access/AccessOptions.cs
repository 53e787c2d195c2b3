namespace Meg.Distributed.Access;

/// <summary>Who may use the API (configuration section "Meg:Auth"). On by default; the AppHost passes the admin key.</summary>
public sealed class AccessOptions
{
    /// <summary>False (<c>./meg up --no-auth</c>): no key is asked for and every caller sees every job.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>The administrator's key: it may create client keys and sees every job.</summary>
    public string? AdminKey { get; set; }
}

/// <summary>Requests per API key (configuration section "Meg:RateLimit"): a token bucket per key.</summary>
public sealed class RateLimitOptions
{
    /// <summary>Tokens the bucket gets back each second: the sustained rate of requests.</summary>
    public int RequestsPerSecond { get; set; } = 50;

    /// <summary>The bucket's size: requests a key may send at once after a quiet spell.</summary>
    public int Burst { get; set; } = 100;
}
