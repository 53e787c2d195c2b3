using Microsoft.Extensions.Configuration;
using System.Globalization;
using Meg.AppHost;

var builder = DistributedApplication.CreateBuilder(args);

var edgeServers = builder.Configuration.GetValue("Meg:EdgeServers", 2);
var slots = builder.Configuration.GetValue("Meg:Slots", 1);
// Step-level batching on each edge server: the most jobs' model calls run together (1: off), and how long an idle
// edge server waits for a batch to fill.
var maxBatch = builder.Configuration.GetValue("Meg:MaxBatch", 1).ToString(CultureInfo.InvariantCulture);
var batchWaitMs = builder.Configuration.GetValue("Meg:BatchWaitMs", 0.0).ToString(CultureInfo.InvariantCulture);
var provider = builder.Configuration["Meg:Provider"] ?? "cpu";
var spinning = builder.Configuration.GetValue("Meg:AllowSpinning", false) ? "true" : "false";
var model = ServiceModel.ForServices(builder);
// Load handling: jobs let in at once, the longest a command may wait in a queue, the UE's lanes (one per user's device).
var maxJobs = builder.Configuration.GetValue("Meg:MaxJobs", 64).ToString(CultureInfo.InvariantCulture);
var queueTimeoutMs = builder.Configuration.GetValue("Meg:QueueTimeoutMs", 60_000.0).ToString(CultureInfo.InvariantCulture);
// Every job ends: one not finished this long after its submission fails, naming the step it waited for.
var jobDeadlineMs = builder.Configuration.GetValue("Meg:JobDeadlineMs", 300_000.0).ToString(CultureInfo.InvariantCulture);
// Access: API keys unless Meg:NoAuth; the admin key is the secret parameter meg-admin-key (./meg up sets it; azd
// asks for it). Each key may send Meg:RateLimit requests a second, twice that at once.
var auth = !builder.Configuration.GetValue("Meg:NoAuth", false);
var rateLimit = builder.Configuration.GetValue("Meg:RateLimit", 50);
var ueLanes = builder.Configuration.GetValue("Meg:UeLanes", 256).ToString(CultureInfo.InvariantCulture);
// The user devices' speed against this machine (1: as fast; 0.25: a phone a quarter as fast).
var ueSpeed = builder.Configuration.GetValue("Meg:UeSpeed", 1.0).ToString(CultureInfo.InvariantCulture);
// CPU placement for load runs: the edge servers on their own cores, everything else on the rest (empty: no pinning).
var esCpus = builder.Configuration["Meg:EsCpus"] ?? "";
var traceSampling = builder.Configuration.GetValue("Meg:TraceSampling", 1.0);
var otherCpus = builder.Configuration["Meg:OtherCpus"] ?? "";
// The public entry when run here: http://localhost:5080 unless Meg:GatewayPort says otherwise (0 = any free port, for
// tests). Published, the platform's ingress decides.
var gatewayPort = !builder.ExecutionContext.IsPublishMode && builder.Configuration.GetValue("Meg:GatewayPort", 5080) is var p and > 0 ? p : (int?)null;

var (redis, messaging) = builder.AddMegInfrastructure();
builder.AddMegSupervisor();

var channel = builder.AddProject<Projects.Meg_ChannelEmulator>("channel-emulator", launchProfileName: null)
    .WithDirectHttpEndpoint()
    .WithMegDependencies(redis, messaging)
    .WithEnvironment("Meg__Queues__TimeoutMs", queueTimeoutMs)
    .WithEnvironment("Meg__Cpus", otherCpus);

var edges = Enumerable.Range(1, edgeServers).Select(k =>
    builder.AddProject<Projects.Meg_EsGenerator>($"es-{k}", launchProfileName: null)
        .WithDirectHttpEndpoint()
        .WithMegDependencies(redis, messaging)
        .WithEnvironment("Meg__Model", model)
        .WithEnvironment("Meg__Provider", provider)
        .WithEnvironment("Meg__AllowSpinning", spinning)
        .WithEnvironment("Meg__EdgeIndex", k.ToString(System.Globalization.CultureInfo.InvariantCulture))
        .WithEnvironment("Meg__Slots", slots.ToString(System.Globalization.CultureInfo.InvariantCulture))
        .WithEnvironment("Meg__Batching__MaxBatch", maxBatch)
        .WithEnvironment("Meg__Batching__MaxWaitMs", batchWaitMs)
        .WithEnvironment("Meg__Queues__TimeoutMs", queueTimeoutMs)
        .WithEnvironment("Meg__Cpus", esCpus))
    .ToArray();

var ue = builder.AddProject<Projects.Meg_UeProxy>("ue-proxy", launchProfileName: null)
    .WithDirectHttpEndpoint()
    .WithMegDependencies(redis, messaging)
    .WithEnvironment("Meg__Model", model)
    .WithEnvironment("Meg__AllowSpinning", spinning)
    .WithEnvironment("Meg__UeLanes", ueLanes)
    .WithEnvironment("Meg__UeSpeed", ueSpeed)
    .WithEnvironment("Meg__Queues__TimeoutMs", queueTimeoutMs)
    .WithEnvironment("Meg__Cpus", otherCpus);

var scheduler = builder.AddProject<Projects.Meg_Scheduler>("scheduler", launchProfileName: null)
    .WithDirectHttpEndpoint()
    .WithMegDependencies(redis, messaging)
    .WithEnvironment("Meg__Model", model)
    .WithEnvironment("Meg__EdgeServers", edgeServers.ToString(System.Globalization.CultureInfo.InvariantCulture))
    .WithEnvironment("Meg__Admission__MaxJobs", maxJobs)
    .WithEnvironment("Meg__Jobs__DeadlineMs", jobDeadlineMs)
    .WithEnvironment("Meg__Auth__Enabled", auth ? "true" : "false")
    .WithEnvironment("Meg__RateLimit__RequestsPerSecond", rateLimit.ToString(CultureInfo.InvariantCulture))
    .WithEnvironment("Meg__RateLimit__Burst", (2 * rateLimit).ToString(CultureInfo.InvariantCulture))
    .WithEnvironment("Meg__UeSpeed", ueSpeed)
    .WithEnvironment("Meg__Cpus", otherCpus)
    .WaitFor(channel)
    .WaitFor(ue);
foreach (var es in edges)
{
    scheduler.WaitFor(es);
}

if (auth)
{
    scheduler.WithEnvironment("Meg__Auth__AdminKey", builder.AddParameter("meg-admin-key", secret: true));
}

builder.AddProject<Projects.Meg_Gateway>("gateway", launchProfileName: null)
    .WithEnvironment("Meg__Cpus", otherCpus)
    .WithDirectHttpEndpoint(gatewayPort)
    .WithReference(scheduler)
    .WaitFor(scheduler)
    .WithHttpHealthCheck("/health")
    .WithExternalHttpEndpoints()
    .WithUrlForEndpoint("http", url => url.DisplayText = "MEG API (/api/jobs)");

builder.SampleServiceTraces(traceSampling);
builder.Build().Run();
