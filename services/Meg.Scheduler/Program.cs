using Meg.Scheduler.Apis;
using Meg.Scheduler.Extensions;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddApplicationServices();

var app = builder.Build();

// Every error answers with problem details: exceptions (BadRequestProblems names bad parameters) and the
// framework's empty 4xx (an unknown route, a wrong method).
app.UseExceptionHandler();
app.UseStatusCodePages();
// Redis or RabbitMQ away: 503 with Retry-After at once, before anything is read or stored.
app.Use(UnavailableDependencies.CheckAsync);
// Who is asking, then how often they may, then what they may see.
app.UseAuthentication();
app.UseRateLimiter();
app.UseAuthorization();

app.MapDefaultEndpoints();
app.MapOpenApi();
app.MapJobsApi();
app.MapJobEventsApi();
app.MapReceivedApi();
app.MapModelApi();
app.MapSystemApi();
app.MapKeysApi();

app.Run();
