using System.Security.Claims;
using System.Text.Encodings.Web;
using Meg.Distributed.Access;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace Meg.Scheduler.Access;

/// <summary>
/// Authenticates a request by its X-Api-Key header (<see cref="ApiKeys"/>). With access control off, every request is
/// <see cref="ApiClient.Anyone"/>. A request without a valid key is challenged with 401 and problem details.
/// </summary>
internal sealed class ApiKeyAuthentication(
    IOptionsMonitor<AuthenticationSchemeOptions> schemes,
    ILoggerFactory logger,
    UrlEncoder encoder,
    ApiKeys keys,
    IOptions<AccessOptions> access) : AuthenticationHandler<AuthenticationSchemeOptions>(schemes, logger, encoder)
{
    public const string SchemeName = "ApiKey";
    public const string Header = "X-Api-Key";
    public const string AdminPolicy = "admin";
    private const string AdminClaim = "meg:admin";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (!access.Value.Enabled)
        {
            return Success(ApiClient.Anyone);
        }

        if (!Request.Headers.TryGetValue(Header, out var sent) || sent.Count != 1 || string.IsNullOrEmpty(sent[0]))
        {
            return AuthenticateResult.NoResult();
        }

        return sent[0]!.Length <= 200 && await keys.FindAsync(sent[0]!) is { } client
            ? Success(client)
            : AuthenticateResult.Fail("The API key is not known.");
    }

    protected override Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        Response.Headers.WWWAuthenticate = SchemeName;
        var detail = Request.Headers.ContainsKey(Header)
            ? $"The {Header} header does not hold a known API key."
            : $"Send an API key in the {Header} header: `./meg up` writes the admin key to .meg/api-key, and POST /api/keys creates client keys.";
        return ProblemResponses.WriteAsync(Context, StatusCodes.Status401Unauthorized, "An API key is needed", detail,
            new Dictionary<string, string[]> { [Header] = [detail] });
    }

    protected override Task HandleForbiddenAsync(AuthenticationProperties properties) =>
        ProblemResponses.WriteAsync(Context, StatusCodes.Status403Forbidden, "Only the administrator may do this", "This needs the admin key (.meg/api-key).");

    /// <summary>The client a request came from: <see cref="ApiClient.Stranger"/> when it sent no known key.</summary>
    public static ApiClient ClientOf(HttpContext http) =>
        http.User.Identity is { IsAuthenticated: true, Name: { } name } ? new ApiClient(name, http.User.HasClaim(AdminClaim, "true")) : ApiClient.Stranger;

    private static AuthenticateResult Success(ApiClient client)
    {
        var identity = new ClaimsIdentity([new Claim(ClaimTypes.Name, client.Name), new Claim(AdminClaim, client.IsAdmin ? "true" : "false")], SchemeName);
        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName));
    }

    public static void AddAdminPolicy(Microsoft.AspNetCore.Authorization.AuthorizationOptions options) =>
        options.AddPolicy(AdminPolicy, p => p.RequireClaim(AdminClaim, "true"));
}
