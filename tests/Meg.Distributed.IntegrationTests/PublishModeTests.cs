using System.Diagnostics;
using System.Text.Json;

namespace Meg.Distributed.IntegrationTests;

/// <summary>
/// What azd deploys: the AppHost's publish-mode manifest (Redis and RabbitMQ as containers, services told where
/// their model is inside their own publish output) and a service's publish output carrying that model.
/// </summary>
[Trait("Category", "Slow")]
public sealed class PublishModeTests
{
    private static readonly string[] ModelServices = ["es-1", "es-2", "ue-proxy", "scheduler"];

    private static readonly string[] AllServices = [.. ModelServices, "channel-emulator", "gateway"];

    [Fact]
    public async Task The_manifest_runs_redis_and_rabbitmq_as_containers_and_points_services_at_their_published_model()
    {
        var output = Directory.CreateTempSubdirectory("meg-manifest-");
        try
        {
            var manifestPath = Path.Combine(output.FullName, "aspire-manifest.json");
            await DotnetAsync(AppContext.BaseDirectory, "Meg.AppHost.dll", "--publisher", "manifest", "--output-path", manifestPath);

            using var manifest = JsonDocument.Parse(await File.ReadAllTextAsync(manifestPath));
            var resources = manifest.RootElement.GetProperty("resources");
            Assert.Equal("container.v0", resources.GetProperty("redis").GetProperty("type").GetString());
            Assert.Equal("container.v0", resources.GetProperty("messaging").GetProperty("type").GetString());
            foreach (var service in ModelServices)
            {
                var env = resources.GetProperty(service).GetProperty("env");
                Assert.Equal("models/meg-tiny", env.GetProperty("Meg__Model").GetString());
            }

            // Trace sampling is off by default: no service is told a ratio.
            foreach (var service in AllServices)
            {
                Assert.False(resources.GetProperty(service).GetProperty("env").TryGetProperty("OTEL_TRACES_SAMPLER_ARG", out _));
            }

            Assert.True(resources.GetProperty("gateway").GetProperty("bindings").GetProperty("http").GetProperty("external").GetBoolean());
        }
        finally
        {
            output.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task Trace_sampling_below_one_samples_every_services_traces_by_job()
    {
        var output = Directory.CreateTempSubdirectory("meg-manifest-sampling-");
        try
        {
            var sampled = Path.Combine(output.FullName, "sampled.json");
            await DotnetAsync(AppContext.BaseDirectory, "Meg.AppHost.dll", "--publisher", "manifest", "--output-path", sampled, "--Meg:TraceSampling=0.1");

            using var sampledManifest = JsonDocument.Parse(await File.ReadAllTextAsync(sampled));
            foreach (var service in AllServices)
            {
                var env = sampledManifest.RootElement.GetProperty("resources").GetProperty(service).GetProperty("env");
                Assert.Equal("parentbased_traceidratio", env.GetProperty("OTEL_TRACES_SAMPLER").GetString());
                Assert.Equal("0.1", env.GetProperty("OTEL_TRACES_SAMPLER_ARG").GetString());
            }
        }
        finally
        {
            output.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task A_published_edge_server_carries_the_shipped_model_without_the_evaluation_set()
    {
        var output = Directory.CreateTempSubdirectory("meg-publish-es-");
        try
        {
            // The test run built the solution in this configuration, so publishing only copies.
            var configuration = AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Debug{Path.DirectorySeparatorChar}", StringComparison.Ordinal) ? "Debug" : "Release";
            var project = Path.Combine(RepositoryLayout.Root, "services", "Meg.EsGenerator", "Meg.EsGenerator.csproj");
            await DotnetAsync(RepositoryLayout.Root, "publish", project, "-c", configuration, "--no-build", "-o", output.FullName, "--nologo", "-v", "quiet");

            var model = Path.Combine(output.FullName, "models", "meg-tiny");
            foreach (var part in new[] { "model_index.json", "unet/model.onnx", "text_encoder/model.onnx", "vae_encoder/model.onnx", "vae_decoder/model.onnx", "tokenizer/vocab.json" })
            {
                var published = new FileInfo(Path.Combine(model, part));
                Assert.True(published.Exists, $"{part} is missing from the publish output");
                Assert.Equal(new FileInfo(Path.Combine(RepositoryLayout.ShippedModel, part)).Length, published.Length);
            }

            Assert.False(Directory.Exists(Path.Combine(model, "eval")), "the held-out evaluation set should stay out of the services");
        }
        finally
        {
            output.Delete(recursive: true);
        }
    }

    private static async Task DotnetAsync(string workingDirectory, params string[] arguments)
    {
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host : "dotnet")
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        await process.WaitForExitAsync(timeout.Token);
        Assert.True(process.ExitCode == 0, $"dotnet {string.Join(' ', arguments)} exited with {process.ExitCode}:\n{await stdout}\n{await stderr}");
    }
}
