using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;

namespace Meg.AppHost;

/// <summary>
/// Redis ("redis") and RabbitMQ ("messaging"). Publish mode (the manifest azd uses) and run mode with a healthy
/// container runtime: containers. Otherwise (no Docker engine, as on our CI machines): Debian's redis-server and
/// rabbitmq-server as local processes that the AppHost starts and stops, on free ports on 127.0.0.1, with their
/// state in a temporary folder. Meg:Infrastructure = auto (default), containers or processes forces a choice.
/// </summary>
internal static class Infrastructure
{
    public const string Redis = "redis";
    public const string Messaging = "messaging";

    /// <summary>The Erlang VM's schedulers spin after each burst of work by default; on a machine whose cores also run
    /// the model, that spinning slows every denoising step. The broker's own latency is unchanged.</summary>
    private const string NoBusyWait = "+sbwt none +sbwtdcpu none +sbwtdio none";

    public static (IResourceBuilder<IResourceWithConnectionString> Redis, IResourceBuilder<IResourceWithConnectionString> Messaging) AddMegInfrastructure(
        this IDistributedApplicationBuilder builder)
    {
        var choice = builder.Configuration["Meg:Infrastructure"] ?? "auto";
        var containers = builder.ExecutionContext.IsPublishMode || choice == "containers" || (choice == "auto" && ContainerRuntimeIsHealthy());
        if (containers)
        {
            // Data volumes: jobs, keys and queued commands outlive a restarted container.
            return (builder.AddRedis(Redis).WithDataVolume(),
                builder.AddRabbitMQ(Messaging).WithDataVolume().WithEnvironment("RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS", NoBusyWait));
        }

        var state = Directory.CreateTempSubdirectory("meg-apphost-").FullName;
        builder.Services.AddHostedService(_ => new StateFolderCleanup(state));
        var ports = new FreePorts();
        return (builder.AddLocalRedis(Redis, state, ports), builder.AddLocalRabbitMq(Messaging, state, ports));
    }

    /// <summary>Connection strings, readiness and health for a MEG service.</summary>
    public static IResourceBuilder<ProjectResource> WithMegDependencies(this IResourceBuilder<ProjectResource> project,
        IResourceBuilder<IResourceWithConnectionString> redis, IResourceBuilder<IResourceWithConnectionString> messaging)
    {
        project.WithReference(redis).WithReference(messaging).WaitFor(redis).WaitFor(messaging).WithHttpHealthCheck("/health");
        // Deployed, the platform restarts a container whose /alive stops answering (run mode: the Supervisor). Probes are
        // an evaluation API in Aspire 13.
#pragma warning disable ASPIREPROBES001
        return project.ApplicationBuilder.ExecutionContext.IsPublishMode ? project.WithHttpProbe(ProbeType.Liveness, "/alive") : project;
#pragma warning restore ASPIREPROBES001
    }

    private static IResourceBuilder<LocalRedisResource> AddLocalRedis(this IDistributedApplicationBuilder builder, string name, string state, FreePorts ports)
    {
        var folder = Directory.CreateDirectory(Path.Combine(state, name)).FullName;
        var port = ports.Next();
        // A password even on loopback: another local user must not read or change jobs. Generated for each run.
        var password = Secret();
        var config = Path.Combine(folder, "redis.conf");
        File.WriteAllText(config, $"requirepass {password}\n");
        OwnerOnly(config);
        builder.Services.AddHealthChecks().AddAsyncCheck($"{name}-listening", ct => Listening(port, ct));
        return builder.AddResource(new LocalRedisResource(name, folder, port, password))
            .WithArgs(config, "--bind", "127.0.0.1", "--port", port.ToString(CultureInfo.InvariantCulture), "--dir", folder,
                // Every write in the append-only file, synced once a second: Redis killed and restarted (the supervisor
                // restarts it) comes back with every job accepted more than a second before.
                "--save", "", "--appendonly", "yes", "--appendfsync", "everysec", "--daemonize", "no")
            .WithHealthCheck($"{name}-listening");
    }

    private static IResourceBuilder<LocalRabbitMqResource> AddLocalRabbitMq(this IDistributedApplicationBuilder builder, string name, string state, FreePorts ports)
    {
        var folder = Directory.CreateDirectory(Path.Combine(state, name)).FullName;
        var home = Directory.CreateDirectory(Path.Combine(folder, "home")).FullName;
        var (amqp, distribution, epmdPort) = (ports.Next(), ports.Next(), ports.Next());
        // Its own user with a generated password instead of guest/guest, written where only this user can read it.
        var password = Secret();
        var config = Path.Combine(folder, "rabbitmq.conf");
        File.WriteAllText(config, $"listeners.tcp.1 = 127.0.0.1:{amqp}\ndefault_user = meg\ndefault_pass = {password}\n");
        OwnerOnly(config);
        File.WriteAllText(Path.Combine(folder, "enabled_plugins"), "[].\n");
        var epmdPortText = epmdPort.ToString(CultureInfo.InvariantCulture);

        // Our own epmd in the foreground, so the AppHost stops it too (rabbitmq-server would otherwise start a
        // daemon epmd that outlives it).
        builder.Services.AddHealthChecks().AddAsyncCheck($"{name}-epmd-listening", ct => Listening(epmdPort, ct));
        var epmd = builder.AddExecutable($"{name}-epmd", "epmd", folder, "-address", "127.0.0.1", "-port", epmdPortText)
            .WithHealthCheck($"{name}-epmd-listening");

        builder.Services.AddHealthChecks().AddAsyncCheck($"{name}-listening", ct => Listening(amqp, ct));
        return builder.AddResource(new LocalRabbitMqResource(name, folder, amqp, password))
            .WithEnvironment("HOME", home)
            // The script then execs the Erlang VM instead of waiting on it: a killed broker exits non-zero, so the
            // supervisor restarts it (the waiting script would exit 0, as after an orderly stop).
            .WithEnvironment("RUNNING_UNDER_SYSTEMD", "true")
            .WithEnvironment("RABBITMQ_NODENAME", "meg-" + amqp.ToString(CultureInfo.InvariantCulture) + "@localhost")
            .WithEnvironment("RABBITMQ_NODE_IP_ADDRESS", "127.0.0.1")
            .WithEnvironment("RABBITMQ_NODE_PORT", amqp.ToString(CultureInfo.InvariantCulture))
            .WithEnvironment("RABBITMQ_DIST_PORT", distribution.ToString(CultureInfo.InvariantCulture))
            .WithEnvironment("ERL_EPMD_PORT", epmdPortText)
            .WithEnvironment("ERL_EPMD_ADDRESS", "127.0.0.1")
            .WithEnvironment("RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS", $"-kernel inet_dist_use_interface {{127,0,0,1}} {NoBusyWait}")
            .WithEnvironment("RABBITMQ_MNESIA_BASE", Path.Combine(folder, "mnesia"))
            .WithEnvironment("RABBITMQ_LOG_BASE", Path.Combine(folder, "log"))
            .WithEnvironment("RABBITMQ_LOGS", "-")
            .WithEnvironment("RABBITMQ_CONFIG_FILE", Path.Combine(folder, "rabbitmq.conf"))
            .WithEnvironment("RABBITMQ_ENABLED_PLUGINS_FILE", Path.Combine(folder, "enabled_plugins"))
            .WithEnvironment("RABBITMQ_SCHEMA_DIR", Directory.CreateDirectory(Path.Combine(folder, "schema")).FullName)
            .WithEnvironment("RABBITMQ_GENERATED_CONFIG_DIR", Directory.CreateDirectory(Path.Combine(folder, "config")).FullName)
            .WithEnvironment("RABBITMQ_PID_FILE", Path.Combine(folder, "rabbitmq.pid"))
            .WaitFor(epmd)
            .WithHealthCheck($"{name}-listening");
    }

    /// <summary>Makes a file that holds a password readable by its owner alone (local servers run on Linux only).</summary>
    private static void OwnerOnly(string path)
    {
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }
    }

    /// <summary>A random password (128 bits, hex, so it needs no escaping in a URI or a config file).</summary>
    private static string Secret() => Convert.ToHexString(System.Security.Cryptography.RandomNumberGenerator.GetBytes(16)).ToLowerInvariant();

    private static bool ContainerRuntimeIsHealthy()
    {
        try
        {
            using var docker = Process.Start(new ProcessStartInfo("docker", "info --format {{.ServerVersion}}")
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            });
            if (docker is null)
            {
                return false;
            }

            if (!docker.WaitForExit(TimeSpan.FromSeconds(5)))
            {
                docker.Kill();
                return false;
            }

            return docker.ExitCode == 0;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            // No docker client at all.
            return false;
        }
    }

    private static async Task<HealthCheckResult> Listening(int port, CancellationToken cancellationToken)
    {
        try
        {
            using var client = new TcpClient();
            await client.ConnectAsync(IPAddress.Loopback, port, cancellationToken);
            return HealthCheckResult.Healthy();
        }
        catch (SocketException e)
        {
            return HealthCheckResult.Unhealthy($"nothing listens on 127.0.0.1:{port} yet ({e.SocketErrorCode})");
        }
    }

    /// <summary>Removes the servers' state folder when the AppHost stops.</summary>
    private sealed class StateFolderCleanup(string folder) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public Task StopAsync(CancellationToken cancellationToken)
        {
            try
            {
                Directory.Delete(folder, recursive: true);
            }
            catch (IOException)
            {
                // A server still writing: the folder is in the temp area and holds nothing of value.
            }
            catch (UnauthorizedAccessException)
            {
            }

            return Task.CompletedTask;
        }
    }
}

/// <summary>Debian's redis-server as a process of the AppHost, with a password.</summary>
internal sealed class LocalRedisResource(string name, string workingDirectory, int port, string password)
    : ExecutableResource(name, "redis-server", workingDirectory), IResourceWithConnectionString
{
    public ReferenceExpression ConnectionStringExpression =>
        Literal($"127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)},password={password}");

    internal static ReferenceExpression Literal(string text)
    {
        var expression = new ReferenceExpressionBuilder();
        expression.AppendLiteral(text);
        return expression.Build();
    }
}

/// <summary>Debian's rabbitmq-server as a process of the AppHost, with its own user "meg" and a generated password.</summary>
internal sealed class LocalRabbitMqResource(string name, string workingDirectory, int port, string password)
    : ExecutableResource(name, "/usr/lib/rabbitmq/bin/rabbitmq-server", workingDirectory), IResourceWithConnectionString
{
    public ReferenceExpression ConnectionStringExpression =>
        LocalRedisResource.Literal($"amqp://meg:{password}@127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}/");
}
