using Meg.Distributed.Access;
using Meg.Scheduler.Access;

namespace Meg.Scheduler.Apis;

/// <summary>API keys for clients (reached through the gateway at /api/keys): only the administrator may create them.</summary>
public static class KeysApi
{
    public static IEndpointRouteBuilder MapKeysApi(this IEndpointRouteBuilder app)
    {
        app.MapGroup("/api/keys").WithTags("Access")
            .MapPost("/", CreateAsync)
            .RequireAuthorization(ApiKeyAuthentication.AdminPolicy)
            .WithSummary("Create a client's API key (admin key only)")
            .WithDescription("Body {\"name\": \"alice\"}: 1 to 40 lowercase letters, digits or '-'. 201 with the key, shown this once; the client sends it as X-Api-Key and sees only its own jobs. 409 if the name is taken.");
        return app;
    }

    public static async Task<IResult> CreateAsync(KeyRequest request, ApiKeys keys)
    {
        var (key, error) = await keys.CreateAsync(request.Name);
        if (key is null)
        {
            return error!.Contains("exists already", StringComparison.Ordinal)
                ? TypedResults.Problem(error, statusCode: StatusCodes.Status409Conflict, title: "The client exists")
                : TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["name"] = [error] });
        }

        return TypedResults.Created($"/api/keys/{request.Name}", new KeyCreated(request.Name!, key));
    }
}

/// <summary>The body of <c>POST /api/keys</c>.</summary>
public sealed record KeyRequest(string? Name);

/// <summary>A new client's key: shown once, stored only as its hash.</summary>
public sealed record KeyCreated(string Name, string Key);
