using Microsoft.Extensions.Configuration;
using Meg.AppHost;

var builder = DistributedApplication.CreateBuilder(args);

var edgeServers = builder.Configuration.GetValue("Meg:EdgeServers", 2);
var slots = builder.Configuration.GetValue("Meg:Slots", 1);
var provider = builder.Configuration["Meg:Provider"] ?? "cpu";
var spinning = builder.Configuration.GetValue("Meg:AllowSpinning", false) ? "true" : "false";
var model = ServiceModel.ForServices(builder);
// The public entry when run here: http://localhost:5080 unless Meg:GatewayPort says otherwise (0 = any free port, for
// tests). Published, the platform's ingress decides.
var gatewayPort = !builder.ExecutionContext.IsPublishMode && builder.Configuration.GetValue("Meg:GatewayPort", 5080) is var p and > 0 ? p : (int?)null;

var (redis, messaging) = builder.AddMegInfrastructure();

var channel = builder.AddProject<Projects.Meg_ChannelEmulator>("channel-emulator", launchProfileName: null)
    .WithDirectHttpEndpoint()
    .WithMegDependencies(redis, messaging);

var edges = Enumerable.Range(1, edgeServers).Select(k =>
    builder.AddProject<Projects.Meg_EsGenerator>($"es-{k}", launchProfileName: null)
        .WithDirectHttpEndpoint()
        .WithMegDependencies(redis, messaging)
        .WithEnvironment("Meg__Model", model)
        .WithEnvironment("Meg__Provider", provider)
        .WithEnvironment("Meg__AllowSpinning", spinning)
        .WithEnvironment("Meg__EdgeIndex", k.ToString(System.Globalization.CultureInfo.InvariantCulture))
        .WithEnvironment("Meg__Slots", slots.ToString(System.Globalization.CultureInfo.InvariantCulture)))
    .ToArray();

var ue = builder.AddProject<Projects.Meg_UeProxy>("ue-proxy", launchProfileName: null)
    .WithDirectHttpEndpoint()
    .WithMegDependencies(redis, messaging)
    .WithEnvironment("Meg__Model", model)
    .WithEnvironment("Meg__AllowSpinning", spinning);

var scheduler = builder.AddProject<Projects.Meg_Scheduler>("scheduler", launchProfileName: null)
    .WithDirectHttpEndpoint()
    .WithMegDependencies(redis, messaging)
    .WithEnvironment("Meg__Model", model)
    .WithEnvironment("Meg__EdgeServers", edgeServers.ToString(System.Globalization.CultureInfo.InvariantCulture))
    .WaitFor(channel)
    .WaitFor(ue);
foreach (var es in edges)
{
    scheduler.WaitFor(es);
}

builder.AddProject<Projects.Meg_Gateway>("gateway", launchProfileName: null)
    .WithDirectHttpEndpoint(gatewayPort)
    .WithReference(scheduler)
    .WaitFor(scheduler)
    .WithHttpHealthCheck("/health")
    .WithExternalHttpEndpoints()
    .WithUrlForEndpoint("http", url => url.DisplayText = "MEG API (/api/jobs)");

builder.Build().Run();
