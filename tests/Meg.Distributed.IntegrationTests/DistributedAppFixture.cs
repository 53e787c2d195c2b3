using System.Diagnostics;
using System.Net.Http.Json;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting;
using Meg.Diffusion.Pipeline;
using Meg.Distributed.Jobs;
using Meg.Execution;
using Meg.Imaging;
using Meg.Tracing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace Meg.Distributed.IntegrationTests;

/// <summary>
/// The whole application booted once through the AppHost (real RabbitMQ and Redis, two edge servers, the test
/// fixture model) and shared by every test of the collection; plus the same model in-process for reference runs. Every
/// service exports its traces to <see cref="Traces"/>, as it would to the dashboard.
/// </summary>
public sealed class DistributedAppFixture : IAsyncLifetime
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromMinutes(3);

    /// <summary>The admission limit the tests run with: small, so filling the system takes few jobs.</summary>
    public const int MaxJobs = 8;

    /// <summary>The administrator's key the application runs with; <see cref="Gateway"/> sends it.</summary>
    public const string AdminKey = "meg_test-admin-key-0123456789abcdef0123456789";

    public DistributedApplication App { get; private set; } = null!;

    public HttpClient Gateway { get; private set; } = null!;

    public IConnectionMultiplexer Redis { get; private set; } = null!;

    public DiffusionPipeline Pipeline { get; } = DiffusionPipeline.Load(RepositoryLayout.TestFixture("fp32-sketch-conditioned"));

    public TimeSpan StartTime { get; private set; }

    public OtlpTraceReceiver Traces { get; } = new();

    public async Task InitializeAsync()
    {
        var clock = Stopwatch.StartNew();
        var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.Meg_AppHost>(
            [$"--Meg:Model={RepositoryLayout.TestFixture("fp32-sketch-conditioned")}", "--Meg:EdgeServers=2", "--Meg:Infrastructure=processes", "--Meg:GatewayPort=0", $"--Meg:MaxJobs={MaxJobs}", $"--Parameters:meg-admin-key={AdminKey}"],
            (options, _) => options.DisableDashboard = true);
        // Health probes fail by design until each service is up, and the services' own logs run to thousands of lines:
        // keep warnings and errors only, so a failing test's message stays near the end of the output.
        builder.Services.AddLogging(logging => logging
            .AddFilter("Microsoft.Extensions.Diagnostics.HealthChecks", LogLevel.None)
            .AddFilter("Meg.AppHost.Resources", LogLevel.Warning)
            .AddFilter("System.Net.Http.HttpClient", LogLevel.Warning));
        foreach (var project in builder.Resources.OfType<ProjectResource>())
        {
            project.Annotations.Add(new EnvironmentCallbackAnnotation(env => Traces.ExportTo(env, project.Name)));
        }

        App = await builder.BuildAsync().WaitAsync(TimeSpan.FromMinutes(1));
        using var cts = new CancellationTokenSource(StartTimeout);
        await App.StartAsync(cts.Token);
        // The gateway waits for the scheduler, which waits for every worker: healthy gateway = system ready.
        await App.ResourceNotifications.WaitForResourceHealthyAsync("gateway", cts.Token);
        Gateway = App.CreateHttpClient("gateway");
        Gateway.Timeout = TimeSpan.FromSeconds(30);
        Gateway.DefaultRequestHeaders.Add("X-Api-Key", AdminKey);
        Redis = await ConnectionMultiplexer.ConnectAsync((await App.GetConnectionStringAsync("redis", cts.Token))!);
        StartTime = clock.Elapsed;
    }

    public async Task DisposeAsync()
    {
        Gateway?.Dispose();
        Redis?.Dispose();
        if (App is not null)
        {
            await App.DisposeAsync();
        }

        Pipeline.Dispose();
        await Traces.DisposeAsync();
    }

    /// <summary>Submits through the gateway, with the caller's W3C trace context when <paramref name="traceParent"/> is given.</summary>
    public async Task<Guid> SubmitAsync(object request, string? traceParent = null)
    {
        using var post = new HttpRequestMessage(HttpMethod.Post, "/api/jobs") { Content = JsonContent.Create(request) };
        if (traceParent is not null)
        {
            post.Headers.Add("traceparent", traceParent);
        }

        using var response = await Gateway.SendAsync(post);
        Assert.Equal(System.Net.HttpStatusCode.Accepted, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<Accepted>(MegJson.Options);
        return body!.Id;
    }

    public Task<JobStatus> WaitForEndAsync(Guid id) =>
        WaitForAsync(id, s => s.State is JobStates.Completed or JobStates.Failed);

    public async Task<JobStatus> WaitForAsync(Guid id, Func<JobStatus, bool> condition)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(90);
        JobStatus? status = null;
        while (DateTime.UtcNow < deadline)
        {
            status = await Gateway.GetFromJsonAsync<JobStatus>($"/api/jobs/{id}", MegJson.Options);
            if (status is not null && (condition(status) || status.State == JobStates.Failed))
            {
                return status;
            }

            await Task.Delay(50);
        }

        throw new TimeoutException($"Job {id} did not reach the expected state in 90 s; last state {status?.State}.");
    }

    public async Task<RgbImage> ImageAsync(Guid id, int share = 0)
    {
        using var response = await Gateway.GetAsync($"/api/jobs/{id}/image?share={share}");
        response.EnsureSuccessStatusCode();
        Assert.Equal("image/png", response.Content.Headers.ContentType?.MediaType);
        return PngCodec.Decode(await response.Content.ReadAsByteArrayAsync());
    }

    /// <summary>Stops services of the application, as a crash or an operator would.</summary>
    public async Task StopAsync(params string[] resources)
    {
        foreach (var resource in resources)
        {
            await App.ResourceCommands.ExecuteCommandAsync(resource, KnownResourceCommands.StopCommand, CancellationToken.None);
        }
    }

    /// <summary>Starts services again and waits until each is healthy, so the next test finds the application whole.</summary>
    public async Task StartAsync(params string[] resources)
    {
        foreach (var resource in resources)
        {
            await App.ResourceCommands.ExecuteCommandAsync(resource, KnownResourceCommands.StartCommand, CancellationToken.None);
        }

        foreach (var resource in resources)
        {
            await App.ResourceNotifications.WaitForResourceHealthyAsync(resource, CancellationToken.None).WaitAsync(TimeSpan.FromMinutes(2));
        }
    }

    public async Task<long> AcceptedJobsAsync() => (long?)await Redis.GetDatabase().StringGetAsync(JobStore.AcceptedCounterKey) ?? 0;

    private sealed record Accepted(Guid Id);
}

[CollectionDefinition(Name)]
public sealed class DistributedAppCollection : ICollectionFixture<DistributedAppFixture>
{
    public const string Name = "Distributed application";
}
