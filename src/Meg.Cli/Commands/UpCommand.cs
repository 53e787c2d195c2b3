using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text.RegularExpressions;
using Meg.Cli.Jobs;
using Meg.Diffusion.Batching;

namespace Meg.Cli.Commands;

/// <summary>
/// `meg up`: builds and starts the distributed system (the Aspire AppHost: scheduler, K edge servers, UE proxy,
/// channel emulator, gateway, Redis, RabbitMQ), prints the dashboard, gateway and web page URLs, and on Ctrl+C stops
/// everything it started.
/// </summary>
public static partial class UpCommand
{
    public const string GatewayUrl = "http://localhost:5080";
    private const string DashboardUrl = "http://localhost:15080";

    public static Command Create()
    {
        var edgeServers = new Option<int>("--edge-servers") { Description = "Edge-server instances K (es-1..es-K), 1-16.", DefaultValueFactory = _ => 2 };
        var slots = new Option<int>("--slots") { Description = "Concurrent stages per edge server, 1-64.", DefaultValueFactory = _ => 1 };
        var model = new Option<string?>("--model") { Description = "Model folder. Default: $MEG_MODEL, else models/meg-tiny (the untrained test fixture until it is trained)." };
        var provider = ProviderOption.Create("Edge servers' execution provider: cpu or cuda (falls back to cpu, saying why).");
        var maxJobs = new Option<int>("--max-jobs") { Description = "Jobs in the system at most (admission); past it POST /api/jobs answers 503 with Retry-After. 1-100000.", DefaultValueFactory = _ => 64 };
        var queueTimeout = new Option<double>("--queue-timeout") { Description = "Seconds a command may wait in a queue before its job fails (a job's maxWaitMs overrides it). 0.1-3600.", DefaultValueFactory = _ => 60 };
        var jobDeadline = new Option<double>("--job-deadline") { Description = "Seconds a job may take from submission to its end before it fails, naming the step it waited for (a request's deadlineMs overrides it). 1-3600.", DefaultValueFactory = _ => 300 };
        var ueLanes = new Option<int>("--ue-lanes") { Description = "User devices the ue-proxy plays at once (one per job in progress). 1-4096.", DefaultValueFactory = _ => 256 };
        var ueSpeed = new Option<double>("--ue-speed") { Description = "User devices' speed against this machine, in (0, 1]: 0.25 is a phone a quarter as fast (stages computed for real, results held for the difference).", DefaultValueFactory = _ => 1 };
        var esCpus = new Option<string?>("--es-cpus") { Description = "Pin the edge servers to these CPUs (e.g. 1 or 2-3); with --other-cpus, a load run's ES gets cores of its own." };
        var otherCpus = new Option<string?>("--other-cpus") { Description = "Pin every other service (scheduler, gateway, UE, channel) to these CPUs (e.g. 0)." };
        var noAuth = new Option<bool>("--no-auth") { Description = "Run without API keys: anyone who reaches the gateway may submit and read every job. For local experiments only." };
        var rateLimit = new Option<int>("--rate-limit") { Description = "Requests a second each API key may send (twice that at once); past it 429 with Retry-After. 1-100000.", DefaultValueFactory = _ => 50 };
        var maxBatch = new Option<int>("--max-batch") { Description = "Step-level batching: the most jobs whose model calls an edge server runs together (joining at the next denoising step). 1 (off) to 256.", DefaultValueFactory = _ => 1 };
        var batchWait = new Option<double>("--batch-wait") { Description = "Milliseconds an idle edge server waits for a batch to fill, 0-10000 (0: start at once; jobs join a running batch anyway).", DefaultValueFactory = _ => 0 };
        var traceSampling = new Option<double>("--trace-sampling") { Description = "Share of jobs whose traces the services record and send to the dashboard, 0-1 (each sampled job keeps all its spans). Below 1 spares the CPU the dashboard takes under load.", DefaultValueFactory = _ => 1 };
        var infrastructure = new Option<string>("--infrastructure") { Description = "Redis and RabbitMQ as: auto (containers when Docker is healthy, else local processes), containers or processes.", DefaultValueFactory = _ => "auto" };
        var command = new Command("up", "Start the distributed MEG system (Aspire AppHost) and print the dashboard and gateway URLs; Ctrl+C stops everything it started.")
        {
            edgeServers, slots, model, provider, infrastructure, maxJobs, queueTimeout, jobDeadline, ueLanes, ueSpeed, esCpus, otherCpus, noAuth, rateLimit,
            maxBatch, batchWait, traceSampling,
        };
        command.SetAction((parse, cancellationToken) => CliErrors.Run(async () =>
        {
            var k = parse.GetValue(edgeServers);
            var s = parse.GetValue(slots);
            var p = ProviderOption.Name(parse, provider);
            var infra = parse.GetValue(infrastructure)!.ToLowerInvariant();
            if (k is < 1 or > 16)
            {
                throw new ArgumentException($"--edge-servers must be from 1 to 16; got {k}.");
            }

            if (s is < 1 or > 64)
            {
                throw new ArgumentException($"--slots must be from 1 to 64; got {s}.");
            }

            if (infra is not ("auto" or "containers" or "processes"))
            {
                throw new ArgumentException($"--infrastructure must be auto, containers or processes; got '{infra}'.");
            }

            var load = LoadSettings(parse.GetValue(maxJobs), parse.GetValue(queueTimeout), parse.GetValue(jobDeadline), parse.GetValue(ueLanes), parse.GetValue(ueSpeed), parse.GetValue(esCpus), parse.GetValue(otherCpus));
            var root = RepositoryLayout.Root;
            var modelFolder = parse.GetValue(model) ?? Environment.GetEnvironmentVariable("MEG_MODEL");
            var limit = parse.GetValue(rateLimit);
            if (limit is < 1 or > 100_000)
            {
                throw new ArgumentException($"--rate-limit must be from 1 to 100000 requests a second; got {limit}.");
            }

            var batch = parse.GetValue(maxBatch);
            var wait = parse.GetValue(batchWait);
            if (batch < 1 || batch > BatchingOptions.MaxBatchLimit)
            {
                throw new ArgumentException($"--max-batch must be from 1 (off) to {BatchingOptions.MaxBatchLimit}; got {batch}.");
            }

            if (batch > 1 && s > 1)
            {
                throw new ArgumentException($"--max-batch {batch} and --slots {s} both ask for concurrent stages on an edge server: with batching, keep --slots at 1.");
            }

            if (!double.IsFinite(wait) || wait < 0 || wait > BatchingOptions.MaxWaitLimitMs)
            {
                throw new ArgumentException($"--batch-wait must be from 0 to {BatchingOptions.MaxWaitLimitMs} ms; got {wait}.");
            }

            var sampling = parse.GetValue(traceSampling);
            if (!double.IsFinite(sampling) || sampling is < 0 or > 1)
            {
                throw new ArgumentException($"--trace-sampling must be from 0 (no traces) to 1 (every job's); got {sampling}.");
            }

            if (infra != "containers")
            {
                await EnsureServersInstalledAsync(root);
            }

            var adminKey = parse.GetValue(noAuth) ? null : AdminKey();
            load = [.. load, $"--Meg:RateLimit={limit}", $"--Meg:NoAuth={adminKey is null}", $"--Meg:MaxBatch={batch}",
                string.Create(CultureInfo.InvariantCulture, $"--Meg:BatchWaitMs={wait}"), string.Create(CultureInfo.InvariantCulture, $"--Meg:TraceSampling={sampling}")];
            return await RunAppHostAsync(root, k, s, p, infra, modelFolder is null ? null : Path.GetFullPath(modelFolder), load, adminKey);
        }));
        return command;
    }

    /// <summary>The AppHost arguments for admission, queue timeout, UE lanes and CPU placement, each checked.</summary>
    private static string[] LoadSettings(int maxJobs, double queueTimeoutSeconds, double jobDeadlineSeconds, int ueLanes, double ueSpeed, string? esCpus, string? otherCpus)
    {
        if (!double.IsFinite(ueSpeed) || ueSpeed is <= 0 or > 1)
        {
            throw new ArgumentException($"--ue-speed must be in (0, 1] (1: as fast as this machine); got {ueSpeed}.");
        }

        if (maxJobs is < 1 or > 100_000)
        {
            throw new ArgumentException($"--max-jobs must be from 1 to 100000; got {maxJobs}.");
        }

        if (!double.IsFinite(queueTimeoutSeconds) || queueTimeoutSeconds is < 0.1 or > 3600)
        {
            throw new ArgumentException($"--queue-timeout must be from 0.1 to 3600 seconds; got {queueTimeoutSeconds}.");
        }

        if (!double.IsFinite(jobDeadlineSeconds) || jobDeadlineSeconds is < 1 or > 3600)
        {
            throw new ArgumentException($"--job-deadline must be from 1 to 3600 seconds; got {jobDeadlineSeconds}.");
        }

        if (ueLanes is < 1 or > 4096)
        {
            throw new ArgumentException($"--ue-lanes must be from 1 to 4096; got {ueLanes}.");
        }

        var settings = new List<string>
        {
            $"--Meg:MaxJobs={maxJobs}",
            string.Create(CultureInfo.InvariantCulture, $"--Meg:QueueTimeoutMs={queueTimeoutSeconds * 1000}"),
            string.Create(CultureInfo.InvariantCulture, $"--Meg:JobDeadlineMs={jobDeadlineSeconds * 1000}"),
            $"--Meg:UeLanes={ueLanes}",
            string.Create(CultureInfo.InvariantCulture, $"--Meg:UeSpeed={ueSpeed}"),
        };
        foreach (var (option, cpus, key) in new[] { ("--es-cpus", esCpus, "EsCpus"), ("--other-cpus", otherCpus, "OtherCpus") })
        {
            if (cpus is null)
            {
                continue;
            }

            if (!CpuList().IsMatch(cpus))
            {
                throw new ArgumentException($"{option} must list CPUs like 1, 0-1 or 0,2; got '{cpus}'.");
            }

            settings.Add($"--Meg:{key}={cpus}");
        }

        return settings.ToArray();
    }

    /// <summary>The admin key in .meg/api-key, made (random, readable by this user alone) when there is none yet, so
    /// scripts and `meg submit` keep working across restarts.</summary>
    private static string AdminKey()
    {
        var file = GatewayOptions.KeyFile;
        if (File.Exists(file) && File.ReadAllText(file).Trim() is { Length: >= 32 } existing)
        {
            return existing;
        }

        Directory.CreateDirectory(Path.GetDirectoryName(file)!);
        var key = "meg_" + Convert.ToHexString(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32)).ToLowerInvariant();
        File.WriteAllText(file, key + "\n");
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(file, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }

        return key;
    }

    private static async Task<int> RunAppHostAsync(string root, int edgeServers, int slots, string provider, string infrastructure, string? model, string[] load, string? adminKey)
    {
        var project = Path.Combine(root, "Meg.AppHost", "Meg.AppHost.csproj");
        Console.Error.WriteLine("Building the MEG services...");
        // The edge servers get the CUDA build of ONNX Runtime only when asked for (a 540 MB package).
        // Release: the AppHost starts every service in its own configuration, and Debug services are slower.
        string[] buildArgs = provider == "cuda"
            ? ["build", project, "-c", "Release", "--nologo", "-v", "quiet", "-p:MegCuda=true"]
            : ["build", project, "-c", "Release", "--nologo", "-v", "quiet"];
        using (var build = Process.Start(new ProcessStartInfo("dotnet", buildArgs) { RedirectStandardOutput = true })!)
        {
            var log = await build.StandardOutput.ReadToEndAsync();
            await build.WaitForExitAsync();
            if (build.ExitCode != 0)
            {
                Console.Error.WriteLine(log);
                throw new InvalidDataException("The MEG services did not build; see the messages above.");
            }
        }

        // The AppHost binary itself, not `dotnet run`: signals then reach the process that stops the resources.
        var start = new ProcessStartInfo(Path.Combine(root, "Meg.AppHost", "bin", "Release", "net10.0", "Meg.AppHost"))
        {
            WorkingDirectory = Path.Combine(root, "Meg.AppHost"),
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.ArgumentList.Add($"--Meg:EdgeServers={edgeServers}");
        start.ArgumentList.Add($"--Meg:Slots={slots}");
        start.ArgumentList.Add($"--Meg:Provider={provider}");
        start.ArgumentList.Add($"--Meg:Infrastructure={infrastructure}");
        foreach (var setting in load)
        {
            start.ArgumentList.Add(setting);
        }

        if (model is not null)
        {
            start.ArgumentList.Add($"--Meg:Model={model}");
        }

        // What the AppHost's "http" launch profile sets (an http dashboard needs ASPIRE_ALLOW_UNSECURED_TRANSPORT).
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Development";
        start.Environment["DOTNET_ENVIRONMENT"] = "Development";
        start.Environment["ASPNETCORE_URLS"] = DashboardUrl;
        start.Environment["ASPIRE_DASHBOARD_OTLP_ENDPOINT_URL"] = "http://localhost:19080";
        start.Environment["ASPIRE_RESOURCE_SERVICE_ENDPOINT_URL"] = "http://localhost:20080";
        start.Environment["ASPIRE_ALLOW_UNSECURED_TRANSPORT"] = "true";
        // The admin key goes in the environment, not the arguments, which any local user can list.
        if (adminKey is not null)
        {
            start.Environment["Parameters__meg-admin-key"] = adminKey;
        }

        using var appHost = Process.Start(start) ?? throw new InvalidOperationException("Could not start the AppHost.");
        using var stopping = new CancellationTokenSource();
        void Stop()
        {
            if (!stopping.IsCancellationRequested)
            {
                stopping.Cancel();
                Console.Error.WriteLine("Stopping MEG (the AppHost stops every service, Redis and RabbitMQ it started)...");
                if (!appHost.HasExited)
                {
                    _ = Kill(appHost.Id, Sigterm);
                }
            }
        }

        Console.CancelKeyPress += (_, e) =>
        {
            e.Cancel = true;
            Stop();
        };
        using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, c =>
        {
            c.Cancel = true;
            Stop();
        });

        var dashboard = new TaskCompletionSource<string>();
        var output = Pump(appHost.StandardOutput, Console.Out, dashboard);
        var errors = Pump(appHost.StandardError, Console.Error, dashboard);
        _ = AnnounceAsync(dashboard.Task, adminKey, stopping.Token);
        await appHost.WaitForExitAsync();
        await Task.WhenAll(output, errors);
        return stopping.IsCancellationRequested ? 0 : appHost.ExitCode;
    }

    private static async Task Pump(StreamReader from, TextWriter to, TaskCompletionSource<string> dashboard)
    {
        while (await from.ReadLineAsync() is { } line)
        {
            await to.WriteLineAsync(line);
            if (LoginUrl().Match(line) is { Success: true } m)
            {
                dashboard.TrySetResult(m.Groups[1].Value);
            }
        }
    }

    private static async Task AnnounceAsync(Task<string> dashboard, string? adminKey, CancellationToken cancellationToken)
    {
        var login = await dashboard.WaitAsync(cancellationToken);
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var clock = Stopwatch.StartNew();
        while (!cancellationToken.IsCancellationRequested && clock.Elapsed < TimeSpan.FromMinutes(5))
        {
            try
            {
                if ((await http.GetAsync($"{GatewayUrl}/health", cancellationToken)).IsSuccessStatusCode)
                {
                    break;
                }
            }
            catch (HttpRequestException)
            {
            }
            catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
            }

            await Task.Delay(500, cancellationToken);
        }

        Console.Out.WriteLine();
        Console.Out.WriteLine($"MEG is up ({clock.Elapsed.TotalSeconds:F0} s after the AppHost started).");
        Console.Out.WriteLine($"  Dashboard: {login}");
        Console.Out.WriteLine($"  Gateway:   {GatewayUrl}  (POST /api/jobs, GET /api/jobs/{{id}}, GET /api/jobs/{{id}}/image, /openapi/v1.json)");
        // The key rides in the fragment, as the dashboard's token does in its login URL: the browser never sends a
        // fragment to the server, and the page takes it out of the address bar at once.
        Console.Out.WriteLine($"  Web page:  {WebPageUrl(adminKey)}");
        Console.Out.WriteLine(adminKey is not null
            ? $"  API key:   {adminKey}  (admin, sent as X-Api-Key; kept in {GatewayOptions.KeyFile}, where meg submit, load and fuzz read it)"
            : "  API key:   none (--no-auth: anyone who reaches the gateway sees every job)");
        Console.Out.WriteLine("Press Ctrl+C to stop everything.");
    }

    /// <summary>The web page's URL, carrying the key after #key= when access control is on.</summary>
    public static string WebPageUrl(string? key) => key is null ? $"{GatewayUrl}/" : $"{GatewayUrl}/#key={Uri.EscapeDataString(key)}";

    private static async Task EnsureServersInstalledAsync(string root)
    {
        if (File.Exists("/usr/bin/redis-server") && File.Exists("/usr/lib/rabbitmq/bin/rabbitmq-server"))
        {
            return;
        }

        Console.Error.WriteLine("redis-server or rabbitmq-server is missing; installing them (scripts/install-prerequisites.sh --tests)...");
        using var install = Process.Start(new ProcessStartInfo(Path.Combine(root, "scripts", "install-prerequisites.sh"), ["--tests"]))!;
        await install.WaitForExitAsync();
        if (install.ExitCode != 0)
        {
            throw new InvalidDataException("Installing redis-server and rabbitmq-server failed; install them with apt-get, or use --infrastructure containers with Docker.");
        }
    }

    private const int Sigterm = 15;

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int Kill(int pid, int signal);

    [GeneratedRegex(@"^\d+(-\d+)?(,\d+(-\d+)?)*$")]
    private static partial Regex CpuList();

    [GeneratedRegex(@"Login to the dashboard at (\S+)")]
    private static partial Regex LoginUrl();
}
