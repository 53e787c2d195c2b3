using System.CommandLine;

namespace Meg.Cli.Jobs;

/// <summary>
/// The options every command that talks to a running system shares: where its gateway is (--gateway, $MEG_GATEWAY,
/// else http://localhost:5080) and the API key it sends as X-Api-Key (--api-key, $MEG_API_KEY, else the admin key
/// <c>./meg up</c> wrote to .meg/api-key; none when the system runs with --no-auth).
/// </summary>
public sealed class GatewayOptions
{
    public const string KeyHeader = "X-Api-Key";

    private GatewayOptions(bool loopbackOnly) => LoopbackOnly = loopbackOnly;

    public bool LoopbackOnly { get; }

    public Option<string> Gateway { get; private init; } = null!;

    public Option<string> ApiKey { get; private init; } = null!;

    /// <param name="loopbackOnly">For load and fault runs, which must target this machine only.</param>
    public static GatewayOptions Create(bool loopbackOnly = false) => new(loopbackOnly)
    {
        Gateway = new Option<string>("--gateway")
        {
            Description = $"The system's gateway{(loopbackOnly ? " (loopback only)" : "")}. Default: $MEG_GATEWAY, else {Commands.UpCommand.GatewayUrl}.",
        },
        ApiKey = new Option<string>("--api-key")
        {
            Description = "The API key to send (X-Api-Key). Default: $MEG_API_KEY, else the admin key `meg up` wrote to .meg/api-key.",
        },
    };

    /// <summary>The path `meg up` writes the admin key to.</summary>
    public static string KeyFile => Path.Combine(RepositoryLayout.Root, ".meg", "api-key");

    public Uri GatewayUri(ParseResult parse)
    {
        var url = parse.GetValue(Gateway) ?? Environment.GetEnvironmentVariable("MEG_GATEWAY") ?? Commands.UpCommand.GatewayUrl;
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https") || (LoopbackOnly && !uri.IsLoopback))
        {
            throw new ArgumentException($"--gateway must be an http(s) URL{(LoopbackOnly ? " on this machine (loopback)" : "")}, such as {Commands.UpCommand.GatewayUrl}; got '{url}'.");
        }

        return uri;
    }

    public static string? Key(ParseResult parse, Option<string> option) =>
        parse.GetValue(option) ?? Environment.GetEnvironmentVariable("MEG_API_KEY") ?? (File.Exists(KeyFile) ? File.ReadAllText(KeyFile).Trim() : null);

    public string? Key(ParseResult parse) => Key(parse, ApiKey);

    /// <summary>An HTTP client for the gateway that sends the key, if there is one.</summary>
    public HttpClient Client(ParseResult parse, TimeSpan timeout, HttpMessageHandler? handler = null)
    {
        var http = handler is null ? new HttpClient() : new HttpClient(handler);
        http.BaseAddress = GatewayUri(parse);
        http.Timeout = timeout;
        if (Key(parse) is { Length: > 0 } key)
        {
            http.DefaultRequestHeaders.Add(KeyHeader, key);
        }

        return http;
    }
}
