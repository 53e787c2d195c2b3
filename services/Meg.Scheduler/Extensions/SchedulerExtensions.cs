using Meg.Distributed.Admission;
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
        builder.Services.ConfigureHttpJsonOptions(o => MegJson.Configure(o.SerializerOptions));
        builder.Services.AddProblemDetails();
        // Bad parameters throw, so BadRequestProblems can answer them with problem details naming the parameter.
        builder.Services.Configure<Microsoft.AspNetCore.Routing.RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        builder.Services.AddExceptionHandler<Apis.BadRequestProblems>();
        builder.Services.Configure<Microsoft.AspNetCore.Server.Kestrel.Core.KestrelServerOptions>(k => k.Limits.MaxRequestBodySize = Apis.BadRequestProblems.MaxBodyBytes);
        builder.Services.AddOpenApi();
        builder.AddMegMessaging(x => x.AddJobStateMachine(builder.Services));
    }
}
