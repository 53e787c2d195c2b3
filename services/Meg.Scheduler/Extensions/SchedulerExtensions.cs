using Meg.Distributed.Access;
using Meg.Distributed.Admission;
using Meg.Scheduler.Access;
using Meg.Distributed.Hosting;
using Meg.Distributed.Jobs;
using Meg.Distributed;

namespace Meg.Scheduler.Extensions;

public static class SchedulerExtensions
{
    public static void AddApplicationServices(this IHostApplicationBuilder builder)
    {
        builder.AddMegStorage();
        // The scheduler loads the model only to learn its sizes (validation, plan costs); it runs no stage.
        builder.AddMegModel();
        builder.Services.Configure<SchedulerOptions>(builder.Configuration.GetSection("Meg"));
        builder.Services.Configure<AdmissionOptions>(builder.Configuration.GetSection("Meg:Admission"));
        builder.Services.AddSingleton<SystemQueues>();
        builder.Services.AddHostedService<QueueGauges>();
        builder.Services.AddScoped<JobSubmission>();
        builder.Services.AddSingleton<Apis.JobStanding>();
        builder.Services.AddSingleton<Model.HeldOutScenes>();
        builder.Services.ConfigureHttpJsonOptions(o => MegJson.Configure(o.SerializerOptions));
        builder.Services.AddProblemDetails();
        // Bad parameters throw, so BadRequestProblems can answer them with problem details naming the parameter.
        builder.Services.Configure<Microsoft.AspNetCore.Routing.RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        builder.Services.AddExceptionHandler<Apis.BadRequestProblems>();
        builder.Services.AddExceptionHandler<Apis.UnavailableDependencies>();
        builder.Services.Configure<Microsoft.AspNetCore.Server.Kestrel.Core.KestrelServerOptions>(k => k.Limits.MaxRequestBodySize = ProblemResponses.MaxBodyBytes);
        builder.Services.AddOpenApi();
        builder.AddMegAccess();
        builder.AddMegMessaging(x => x.AddJobStateMachine(builder.Services));
    }

    /// <summary>API keys (X-Api-Key), the admin policy, and a rate limit per key. Fails at start when access control is on
    /// and no admin key is configured, rather than running open.</summary>
    private static void AddMegAccess(this IHostApplicationBuilder builder)
    {
        var access = builder.Configuration.GetSection("Meg:Auth").Get<AccessOptions>() ?? new AccessOptions();
        if (access.Enabled && string.IsNullOrWhiteSpace(access.AdminKey))
        {
            throw new InvalidOperationException("Meg:Auth:AdminKey is not set: the AppHost sets it (./meg up writes it to .meg/api-key). Set Meg:Auth:Enabled=false (./meg up --no-auth) to run without keys.");
        }

        builder.Services.Configure<AccessOptions>(builder.Configuration.GetSection("Meg:Auth"));
        builder.Services.AddSingleton<ApiKeys>();
        builder.Services.AddAuthentication(ApiKeyAuthentication.SchemeName)
            .AddScheme<Microsoft.AspNetCore.Authentication.AuthenticationSchemeOptions, ApiKeyAuthentication>(ApiKeyAuthentication.SchemeName, null);
        builder.Services.AddAuthorization(ApiKeyAuthentication.AddAdminPolicy);
        var limits = builder.Configuration.GetSection("Meg:RateLimit").Get<RateLimitOptions>() ?? new RateLimitOptions();
        builder.Services.AddRateLimiter(o => RequestRateLimits.Configure(o, limits));
    }
}
