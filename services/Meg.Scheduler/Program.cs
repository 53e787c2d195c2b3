using Meg.Scheduler.Apis;
using Meg.Scheduler.Extensions;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddApplicationServices();

var app = builder.Build();

app.MapDefaultEndpoints();
app.MapOpenApi();
app.MapJobsApi();
app.MapSystemApi();

app.Run();
