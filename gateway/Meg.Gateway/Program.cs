using Meg.Gateway.Extensions;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddApplicationServices();

var app = builder.Build();

// The gateway's own empty 4xx (an unknown route) answer with problem details too.
app.UseStatusCodePages();
app.Use(BodySizeLimit.RefuseOversizeAsync);
app.MapDefaultEndpoints();
// The web page (wwwroot) at /, served by the gateway itself: it works offline and talks to the API only.
app.UseWebPage();
app.MapReverseProxy(proxy =>
{
    proxy.Use(BackendUnavailable.AnswerAsync);
    // YARP's default steps, which a custom pipeline names itself.
    proxy.UseSessionAffinity();
    proxy.UseLoadBalancing();
    proxy.UsePassiveHealthChecks();
});

app.Run();
