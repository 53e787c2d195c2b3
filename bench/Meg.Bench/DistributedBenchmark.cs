using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Testing;
using Aspire.Hosting;
using Meg.Diffusion.Pipeline;
using Meg.Distributed.Hosting;
using Meg.Distributed.Jobs;
using Meg.Distributed.Nodes;
using Meg.Execution.Scheduling;
using Meg.Execution;
using Meg.Experiments;
using Meg.Imaging;
using Meg.Protocols.BuiltIn;
using Meg.Protocols.Plans;
using Meg.Protocols;
using Meg.Tracing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Meg.Bench;

/// <summary>
/// The same requests in-process (<see cref="PlanExecutor"/>) and through the running distributed system
/// (gateway, scheduler, RabbitMQ, Redis, workers): end-to-end latency per protocol, their ratio, and where the
/// extra time goes: from the per-step timestamps the workers report, and from the services' traces, which they export
/// to the benchmark (<see cref="OtlpTraceReceiver"/>).
/// </summary>
internal sealed class DistributedBenchmark : IBenchmark
{
    private const double Goal = 1.10;

    public string Name => "distributed";

    public string Description => "latency in-process vs through the system, per hop [--protocols P,Q|all] [--repeats N] [--warmup N] [--channel C] [--snr DB] [--spinning] [--no-traces] [--trace-file FILE] [--gateway URL] [--model DIR]";

    public int Run(string[] args)
    {
        DistributedBenchmarkOptions options;
        try
        {
            options = DistributedBenchmarkOptions.Parse(args);
        }
        catch (ArgumentException e)
        {
            Console.Error.WriteLine(e.Message);
            Console.Error.WriteLine($"Usage: dotnet run -c Release --project bench/Meg.Bench -- {Name} {Description[(Description.IndexOf('[', StringComparison.Ordinal))..]}");
            return 2;
        }

        return RunAsync(options).GetAwaiter().GetResult();
    }

    private static async Task<int> RunAsync(DistributedBenchmarkOptions options)
    {
        // One held-out scene per request; a set smaller than the measured requests is cycled (repeated prompts then
        // hit the services' text-embedding cache, which the in-process run does not have).
        var items = EvaluationSet.Load(Path.Combine(options.Model, "eval")).Items;
        var protocolIndex = options.Protocols.Select((p, i) => (p, i)).ToDictionary(x => x.p, x => x.i);

        // The in-process engine gets the services' ONNX Runtime options (thread spinning, and their unpinned pool of one
        // thread per processor rather than ONNX Runtime's pinned default), so the ratio measures the distribution and not
        // the session options.
        using var pipeline = DiffusionPipeline.Load(options.Model, new ModelOptions { AllowSpinning = options.Spinning }.Execution);
        var dimensions = PipelineDimensions.Of(pipeline);
        Console.WriteLine($"Model {options.Model}; {Environment.ProcessorCount} cores; {options.Steps} DDIM steps, guidance 4, " +
                          $"channel {options.Channel} at {options.SnrDb} dB; {options.Repeats} requests per protocol (one held-out scene each) after {options.Warmup} warm-up requests; " +
                          $"ONNX Runtime thread spinning {(options.Spinning ? "on" : "off")} in-process and in the services.");

        DistributedApplication? app = null;
        HttpClient gateway;
        // Traces only from a system this run starts: another one exports to its own dashboard.
        await using var receiver = options.Traces && options.Gateway is null ? new OtlpTraceReceiver() : null;
        if (options.Gateway is { } url)
        {
            gateway = new HttpClient { BaseAddress = url };
            Console.WriteLine($"System: the one running at {url}");
        }
        else
        {
            Console.Write("Starting the system (AppHost, without the dashboard)... ");
            var clock = Stopwatch.StartNew();
            var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.Meg_AppHost>(
                [$"--Meg:Model={options.Model}", $"--Meg:EdgeServers={options.EdgeServers}", $"--Meg:AllowSpinning={options.Spinning}", "--Meg:GatewayPort=0"],
                (o, _) => o.DisableDashboard = true);
            if (receiver is not null)
            {
                // Every service exports its traces here, as it would to the dashboard (batches every second).
                foreach (var project in builder.Resources.OfType<ProjectResource>())
                {
                    project.Annotations.Add(new EnvironmentCallbackAnnotation(env => receiver.ExportTo(env, project.Name)));
                }
            }

            // The AppHost's own log (health checks failing until each resource is up) would bury the results.
            builder.Services.AddLogging(logging => logging.ClearProviders());
            app = await builder.BuildAsync();
            using var start = new CancellationTokenSource(TimeSpan.FromMinutes(4));
            await app.StartAsync(start.Token);
            await app.ResourceNotifications.WaitForResourceHealthyAsync("gateway", start.Token);
            gateway = app.CreateHttpClient("gateway");
            Console.WriteLine($"ready in {clock.Elapsed.TotalSeconds:0} s");
        }

        try
        {
            gateway.Timeout = TimeSpan.FromSeconds(60);
            var executor = new PlanExecutor(pipeline);
            var transmission = new TransmissionOptions { Channel = JobRequestValidator.ChannelFor(options.Channel, options.SnrDb), ChannelRandomSeed = 1 };
            var plans = options.Protocols.ToDictionary(p => p,
                p => ProtocolCatalog.Build(p, PlanParameters.ForModel(dimensions, options.Steps, 1, options.EdgeServers)));
            var schedules = plans.ToDictionary(p => p.Key, p => PlanSchedule.Of(p.Value));
            var rows = options.Protocols.ToDictionary(p => p, p => new ProtocolLatency(p, [], [], [], [], [], [], 0));

            // One request both ways: in-process first, then the same through the system (same prompt, sketch, seeds).
            async Task<(double LocalMs, double LocalComputeMs, double[] LocalStepMs, double LocalCpuMs, JobTimeline Remote, Dictionary<string, double> RemoteCpuMs, bool Identical)> Both(string protocol, int k, bool warmUp = false)
            {
                // Every measured request of the run has its own scene and prompt, and warm-up prompts differ from them:
                // a prompt seen before would hit the services' text-embedding cache, which the executor does not have.
                var item = items[(k * options.Protocols.Count + protocolIndex[protocol]) % items.Count];
                var prompt = warmUp ? $"{item.Caption} (warm-up)" : item.Caption;
                var sketch = item.LoadSketch();
                var settings = new GenerationSettings { Steps = options.Steps, Guidance = 4, RandomSeed = (ulong)(k + 1) };
                var cpu = Process.GetCurrentProcess().TotalProcessorTime;
                var clock = Stopwatch.StartNew();
                var expected = executor.Run(plans[protocol], new GenerationRequest(prompt, sketch, settings), transmission with { ChannelRandomSeed = (ulong)(k + 1) });
                var localMs = clock.Elapsed.TotalMilliseconds;
                var localCpuMs = (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalMilliseconds;
                var servicesBefore = ServiceCpu.Snapshot();
                var timeline = await JobTimeline.RunAsync(gateway, new
                {
                    prompt,
                    sketch = Convert.ToBase64String(PngCodec.Encode(sketch)),
                    protocol,
                    channel = options.Channel,
                    snrDb = options.SnrDb,
                    steps = options.Steps,
                    guidance = 4.0,
                    randomSeed = k + 1,
                }, schedules[protocol]);
                var servicesCpu = ServiceCpu.Between(servicesBefore, ServiceCpu.Snapshot());
                return (localMs, expected.ComputeTime.Values.Sum(t => t.TotalMilliseconds), expected.StepTime.Select(t => t.TotalMilliseconds).ToArray(), localCpuMs,
                    timeline, servicesCpu, timeline.Image.Equals(expected.Images[0]));
            }

            // Warm-up requests first (first use of every code path, and the JIT's recompilation of hot code in every
            // process), then a pause for the recompilations still queued, then the measured rounds, protocols
            // interleaved so that drift on the shared machine touches them all alike.
            Console.Write("warm-up");
            for (var w = 0; w < options.Warmup; w++)
            {
                await Both(options.Protocols[w % options.Protocols.Count], w, warmUp: true);
                if (w % 10 == 9)
                {
                    Console.Write('.');
                }
            }

            await Task.Delay(TimeSpan.FromSeconds(options.Warmup > 0 ? 3 : 0));
            Console.WriteLine();
            // What the system costs with no request at all (timers, heartbeats, health checks): CPU the model shares.
            var idleBefore = ServiceCpu.Snapshot();
            await Task.Delay(IdleWindow);
            var idleCpu = ServiceCpu.Between(idleBefore, ServiceCpu.Snapshot());
            // The broker's own cost per hop, while the system still idles (only on a system this run started: the
            // benchmark does not know another one's broker).
            IReadOnlyList<double>? floor = null;
            if (app is not null && await app.GetConnectionStringAsync(MegHostingExtensions.MessagingConnection) is { } broker)
            {
                // Bounded: a broker that stops answering costs the floor line, not the run.
                using var limit = new CancellationTokenSource(TimeSpan.FromMinutes(1));
                try
                {
                    floor = await BrokerFloor.MeasureAsync(new Uri(broker), FloorSends, limit.Token);
                }
                catch (OperationCanceledException)
                {
                    Console.Error.WriteLine("The broker's floor was not measured: its sends did not come back within a minute.");
                }
            }

            // What resuming the UNet costs the model itself, in this process while the system idles.
            var pause = PauseFloor.Measure(new UnetStages(pipeline), PauseRounds);

            Console.Write("measuring");
            for (var k = 1; k <= options.Repeats; k++)
            {
                foreach (var protocol in options.Protocols)
                {
                    var (localMs, localComputeMs, localStepMs, localCpuMs, remote, remoteCpu, identical) = await Both(protocol, k);
                    var row = rows[protocol];
                    row.InProcessMs.Add(localMs);
                    row.InProcessComputeMs.Add(localComputeMs);
                    row.InProcessStepMs.Add(localStepMs);
                    row.InProcessCpuMs.Add(localCpuMs);
                    row.RemoteCpuMs.Add(remoteCpu);
                    row.Remote.Add(remote);
                    rows[protocol] = row with { Identical = row.Identical + (identical ? 1 : 0) };
                    Console.Write('.');
                }
            }

            Console.WriteLine();
            Print(rows.Values.ToList());
            if (receiver is not null)
            {
                await PrintTracesAsync(receiver, rows.Values.ToList(), schedules, plans, options.TraceFile);
            }

            PrintIdle(idleCpu);
            PrintFloor(floor, rows.Values.ToList());
            PrintPause(pause);
            return 0;
        }
        finally
        {
            gateway.Dispose();
            if (app is not null)
            {
                await app.DisposeAsync();
            }
        }
    }

    /// <summary>CPU per request by process: what the distribution costs the machine's cores (Linux only).</summary>
    private static void PrintCpu(List<ProtocolLatency> rows)
    {
        // No readings at all: no /proc here, or a system on another machine (--gateway).
        if (rows.All(r => r.RemoteCpuMs.All(c => c.Values.Sum() == 0)))
        {
            return;
        }

        static string Ms(double v) => v.ToString("0", CultureInfo.InvariantCulture).PadLeft(10);
        Console.WriteLine();
        Console.WriteLine("CPU milliseconds per request (mean; /proc, 10 ms ticks): in-proc = the benchmark process running the executor;");
        Console.WriteLine("the others = each part of the system while it served the request (es = all edge servers).");
        Console.WriteLine($"{"protocol",-12}{"in-proc",10}{string.Concat(ServiceCpu.Roles.Select(r => r.PadLeft(10)))}{"system",10}{"ratio",7}");
        foreach (var row in rows)
        {
            var local = row.InProcessCpuMs.Average();
            var perRole = ServiceCpu.Roles.Select(r => row.RemoteCpuMs.Average(c => c[r])).ToArray();
            Console.WriteLine($"{row.Protocol,-12}{Ms(local)}{string.Concat(perRole.Select(Ms))}{Ms(perRole.Sum())}" +
                              $"{(perRole.Sum() / local).ToString("0.00", CultureInfo.InvariantCulture),7}");
        }
    }

    private static readonly TimeSpan IdleWindow = TimeSpan.FromSeconds(5);

    /// <summary>CPU the system takes while it serves nothing, per role (Linux only).</summary>
    private static void PrintIdle(Dictionary<string, double> idleCpuMs)
    {
        if (idleCpuMs.Values.Sum() == 0) // as for the CPU table: nothing to read here
        {
            return;
        }

        static string PerSecond(double ms) => (ms / IdleWindow.TotalSeconds).ToString("0.0", CultureInfo.InvariantCulture);
        Console.WriteLine();
        Console.WriteLine($"Idle ({IdleWindow.TotalSeconds:0} s with no request), CPU milliseconds per second: " +
                          string.Join(", ", ServiceCpu.Roles.Select(r => $"{r} {PerSecond(idleCpuMs[r])}")) + $"; all {PerSecond(idleCpuMs.Values.Sum())}.");
    }

    /// <summary>Where each protocol's time went beyond the in-process run's, hop by hop along each job's critical path,
    /// from the jobs' traces.</summary>
    private static async Task PrintTracesAsync(OtlpTraceReceiver receiver, List<ProtocolLatency> rows, Dictionary<string, PlanSchedule> schedules,
        Dictionary<string, ProtocolPlan> plans, string? traceFile)
    {
        await using var saved = traceFile is null ? null : new StreamWriter(traceFile);
        // The exporters send a batch a second: the last spans of the last jobs may still be on their way.
        var deadline = TimeSpan.FromSeconds(15);
        var clock = Stopwatch.StartNew();
        var paths = new Dictionary<string, List<(CriticalPath Path, int Request)>>();
        var (missing, gaps) = (0, 0);
        foreach (var row in rows)
        {
            paths[row.Protocol] = [];
            for (var r = 0; r < row.Remote.Count; r++)
            {
                var job = row.Remote[r];
                var spans = await receiver.WaitForAsync(job.TraceId, s => TraceComplete(s, schedules[row.Protocol]), deadline - clock.Elapsed);
                foreach (var span in spans.OrderBy(s => s.StartUnixNano))
                {
                    saved?.WriteLine(JsonSerializer.Serialize(new { protocol = row.Protocol, request = r, posted = UnixNano(job.Posted), span }));
                }

                if (CriticalPath.Of(spans, schedules[row.Protocol], UnixNano(job.Posted), UnixNano(job.Answered)) is { } path)
                {
                    paths[row.Protocol].Add((path, r));
                    // The parts telescope from the POST to the PNG; a gap means the walk took a wrong turn.
                    gaps += Math.Abs(path.TotalMs - (job.Answered - job.Posted).TotalMilliseconds) > 0.5 ? 1 : 0;
                }
                else
                {
                    missing++;
                }
            }
        }

        static string Ms(double v) => v.ToString("0.0", CultureInfo.InvariantCulture).PadLeft(8);
        Console.WriteLine();
        Console.WriteLine("From the traces, along each job's critical path (the chain of commands from the POST to the PNG, each released or");
        Console.WriteLine("started in place by the one before): submit = POST -> first command sent (gateway, validation, storing the job);");
        Console.WriteLine("transit = a send started -> its worker receiving it (MassTransit, RabbitMQ); redis = the path's commands' storage");
        Console.WriteLine("spans; model+ = their compute spans less the in-process run; worker = the rest of the workers' time on the path");
        Console.WriteLine("(MassTransit's consume, hand-offs); end = last command released -> the waiting image request woken (its record, the");
        Console.WriteLine("job's status, the announcement); answer = woken -> PNG received. Medians per request; the parts of one request add");
        Console.WriteLine("up to its extra = distrib - in-proc.");
        Console.WriteLine($"{"protocol",-12}{"extra",8}{"hops",6}{"brokered",9}{"submit",8}{"transit",8}{"redis",8}{"model+",8}{"worker",8}{"end",8}{"answer",8}");
        foreach (var row in rows)
        {
            var mine = paths[row.Protocol];
            if (mine.Count == 0)
            {
                continue;
            }

            Console.WriteLine($"{row.Protocol,-12}{Ms(Median(row.Remote.Select((t, i) => t.EndToEndMs - row.InProcessMs[i])))}" +
                              $"{Median(mine.Select(p => (double)p.Path.Hops.Count)),6:0}{Median(mine.Select(p => (double)p.Path.Hops.Count(h => h.TransitMs > 0))),9:0}" +
                              $"{Ms(Median(mine.Select(p => p.Path.SubmitMs)))}{Ms(Median(mine.Select(p => p.Path.Hops.Sum(h => h.TransitMs))))}" +
                              $"{Ms(Median(mine.Select(p => p.Path.Hops.Sum(h => h.StorageMs))))}" +
                              $"{Ms(Median(mine.Select(p => p.Path.Hops.Sum(h => h.ComputeMs) - row.InProcessMs[p.Request])))}" +
                              $"{Ms(Median(mine.Select(p => p.Path.Hops.Sum(h => h.WorkerMs))))}{Ms(Median(mine.Select(p => p.Path.EndMs)))}{Ms(Median(mine.Select(p => p.Path.AnswerMs)))}");
        }

        foreach (var row in rows.Where(r => paths[r.Protocol].Count > 0))
        {
            var mine = paths[row.Protocol];
            var plan = plans[row.Protocol];
            Console.WriteLine();
            Console.WriteLine($"{row.Protocol}: hops of the critical path (medians over the requests whose path has the command; compute in-proc = the");
            Console.WriteLine("same steps in the executor)");
            Console.WriteLine($"  {"command (first step)",-38}{"worker",-18}{"on path",8}{"transit",8}{"redis",8}{"compute",8}{"in-proc",8}{"worker",8}");
            foreach (var command in schedules[row.Protocol].Commands)
            {
                var hops = mine.SelectMany(p => p.Path.Hops.Where(h => h.FirstStep == command.FirstStep).Select(h => (Hop: h, p.Request))).ToArray();
                if (hops.Length == 0)
                {
                    continue;
                }

                var local = hops.Select(h => Enumerable.Range(command.FirstStep, command.Count).Sum(step => row.InProcessStepMs[h.Request][step]));
                Console.WriteLine($"  {Truncate($"#{command.FirstStep} {plan.Steps[command.FirstStep].Describe()}{(command.Count > 1 ? $" +{command.Count - 1}" : "")}", 37),-38}" +
                                  $"{hops[0].Hop.Worker,-18}{$"{hops.Length}/{mine.Count}",8}{Ms(Median(hops.Select(h => h.Hop.TransitMs)))}{Ms(Median(hops.Select(h => h.Hop.StorageMs)))}" +
                                  $"{Ms(Median(hops.Select(h => h.Hop.ComputeMs)))}{Ms(Median(local))}{Ms(Median(hops.Select(h => h.Hop.WorkerMs)))}");
            }
        }

        if (traceFile is not null)
        {
            Console.WriteLine($"Spans of every measured job: {traceFile}");
        }

        if (missing > 0 || gaps > 0 || receiver.Failures > 0)
        {
            Console.WriteLine($"({missing} jobs' traces lacked spans after {deadline.TotalSeconds:0} s; {gaps} paths did not add up to the latency; " +
                              $"{receiver.Failures} exports could not be read.)");
        }
    }

    /// <summary>A job's trace is all there once every command has recorded its steps and the image went out.</summary>
    private static bool TraceComplete(IReadOnlyList<TraceSpan> spans, PlanSchedule schedule) =>
        spans.Count(s => s.Name == "record") >= schedule.Commands.Count && spans.Any(s => s.Name == "encode png") &&
        spans.Count(s => s.Service == "gateway" && s.Kind == SpanKind.Server) >= 2;

    private static long UnixNano(DateTime utc) => (utc - DateTime.UnixEpoch).Ticks * 100;

    private const int FloorSends = 100;

    /// <summary>The broker's floor beside what the commands' queue time was.</summary>
    private static void PrintFloor(IReadOnlyList<double>? floor, List<ProtocolLatency> rows)
    {
        if (floor is null)
        {
            return;
        }

        // A command that went through the broker has a queue time; the steps after the first in a command, and the
        // UE's own commands that it runs at once, have none.
        var brokered = rows.SelectMany(r => r.Remote.SelectMany(t => t.Steps.Where(s => s.QueueMs > 0).Select(s => s.QueueMs))).ToList();
        static string Ms(double v) => v.ToString("0.00", CultureInfo.InvariantCulture);
        Console.WriteLine();
        Console.WriteLine($"Broker floor ({floor.Count} sends one at a time, after {FloorSends - floor.Count} unmeasured, while the system idled): a MassTransit send to a " +
                          $"consumer on the system's RabbitMQ, with the services' settings, took {Ms(Median(floor))} ms (p10 {Ms(Percentile(floor, 0.1))}, " +
                          $"p90 {Ms(Percentile(floor, 0.9))}); a job's command above waited {Ms(Median(brokered))} ms from sent to started " +
                          $"(median of {brokered.Count}).");
    }

    private const int PauseRounds = 20;

    /// <summary>The model's floor beside the broker's: what a split protocol pays each time a node resumes the UNet.</summary>
    private static void PrintPause(IReadOnlyList<double> extras)
    {
        static string Ms(double v) => v.ToString("0.0", CultureInfo.InvariantCulture);
        Console.WriteLine();
        Console.WriteLine($"UNet pause floor ({extras.Count} rounds in this process, no system involved): CIAG's last {UnetStages.Ciag[^1].To - UnetStages.Ciag[^1].From} " +
                          $"steps took {Ms(Median(extras))} ms more (p10 {Ms(Percentile(extras, 0.1))}, p90 {Ms(Percentile(extras, 0.9))}) after the UNet waited " +
                          "as long as the middle stage takes than right after it; every stage of a split protocol that resumes the UNet pays about this.");
    }

    private static double Percentile(IEnumerable<double> values, double q)
    {
        var sorted = values.Order().ToArray();
        return sorted[(int)Math.Clamp(Math.Round(q * (sorted.Length - 1)), 0, sorted.Length - 1)];
    }

    private static double Paired(ProtocolLatency row) => Median(row.Remote.Select((t, i) => t.EndToEndMs / row.InProcessMs[i]));

    private static void Print(List<ProtocolLatency> rows)
    {
        static string Ms(double v) => v.ToString("0.0", CultureInfo.InvariantCulture).PadLeft(8);
        Console.WriteLine();
        Console.WriteLine("Median milliseconds per request. in-proc = PlanExecutor, of which compute = the model's stages. ratio = median");
        Console.WriteLine("distrib / median in-proc; paired = the median of each request's own distrib / in-proc (the two run back to back, so");
        Console.WriteLine("the machine's drift cancels out).");
        Console.WriteLine("distrib = the client's clock from POST to the PNG received (GET image?waitMs= waits on the server for the job's");
        Console.WriteLine("end, so there is no polling slack). Its hops, from the services' timestamps: submit = POST -> first command sent;");
        Console.WriteLine("queue = command sent -> worker starts; compute = in the model or the channel on the workers; io = the rest of the");
        Console.WriteLine("workers' time (loading and storing payloads in Redis); hand-back = worker done -> the commands it released sent");
        Console.WriteLine("(by that worker) or the job marked done; answer = job done -> PNG received. Branches that run at once all count.");
        Console.WriteLine($"{"protocol",-12}{"in-proc",8}{"compute",8}{"distrib",8}{"ratio",7}{"paired",7}{"steps",6}{"submit",8}{"queue",8}{"compute",8}{"io",7}{"hand-back",10}{"answer",8}{"same img",9}");
        foreach (var row in rows)
        {
            var local = Median(row.InProcessMs);
            var remote = Median(row.Remote.Select(t => t.EndToEndMs));
            Console.WriteLine($"{row.Protocol,-12}{Ms(local)}{Ms(Median(row.InProcessComputeMs))}{Ms(remote)}{(remote / local).ToString("0.00", CultureInfo.InvariantCulture),7}{Paired(row).ToString("0.00", CultureInfo.InvariantCulture),7}" +
                              $"{row.Remote[0].Steps.Count,6}{Ms(Median(row.Remote.Select(t => t.SubmitMs)))}" +
                              $"{Ms(Median(row.Remote.Select(t => t.Steps.Sum(s => s.QueueMs))))}" +
                              $"{Ms(Median(row.Remote.Select(t => t.Steps.Sum(s => s.ComputeMs))))}" +
                              $"{Ms(Median(row.Remote.Select(t => t.Steps.Sum(s => s.ServiceMs - s.ComputeMs))))[1..]}" +
                              $"  {Ms(Median(row.Remote.Select(t => t.Steps.Sum(s => s.HandBackMs))))}" +
                              $"{Ms(Median(row.Remote.Select(t => t.AnswerMs)))}{$"{row.Identical}/{row.Remote.Count}",9}");
        }

        PrintCpu(rows);
        var worst = rows.Max(r => Median(r.Remote.Select(t => t.EndToEndMs)) / Median(r.InProcessMs));
        Console.WriteLine($"Worst ratio {worst:0.00}, worst paired ratio {rows.Max(Paired):0.00} (goal <= {Goal:0.00}).");
        // Each protocol's paired ratio with its 95% interval (bootstrap, fixed seed): a goal inside the interval is
        // met or missed within the noise of this many requests.
        Console.WriteLine($"Paired ratio [95% interval of the median, {MedianInterval.Resamples} bootstrap resamples]: " + string.Join(", ", rows.Select(r =>
        {
            var (low, high) = MedianInterval.Of(r.Remote.Select((t, i) => t.EndToEndMs / r.InProcessMs[i]).ToList(), seed: 1);
            return string.Create(CultureInfo.InvariantCulture, $"{r.Protocol} {Paired(r):0.00} [{low:0.00}, {high:0.00}]");
        })) + ".");

        foreach (var row in rows)
        {
            Console.WriteLine();
            Console.WriteLine($"{row.Protocol}: per step (medians over {row.Remote.Count} requests)");
            // in-proc = the same step's compute in the executor; extra = the median of each request's own difference, which
            // shows a model part that runs slower in the services than in one process.
            Console.WriteLine($"  {"#",-3}{"step",-34}{"worker",-18}{"queue",8}{"compute",8}{"in-proc",8}{"extra",7}{"io",8}{"hand-back",10}");
            for (var i = 0; i < row.Remote[0].Steps.Count; i++)
            {
                var steps = row.Remote.Select(t => t.Steps[i]).ToArray();
                var local = row.InProcessStepMs.Select(l => l[i]).ToArray();
                Console.WriteLine($"  {i,-3}{Truncate(steps[0].Description, 33),-34}{steps[0].Worker,-18}{Ms(Median(steps.Select(s => s.QueueMs)))}" +
                                  $"{Ms(Median(steps.Select(s => s.ComputeMs)))}{Ms(Median(local))}{Ms(Median(steps.Select((s, r) => s.ComputeMs - local[r])))[1..]}" +
                                  $"{Ms(Median(steps.Select(s => s.ServiceMs - s.ComputeMs)))}  {Ms(Median(steps.Select(s => s.HandBackMs)))}");
            }
        }
    }

    private static string Truncate(string text, int length) => text.Length <= length ? text : text[..(length - 1)] + "~";

    private static double Median(IEnumerable<double> values) => MedianInterval.MedianOfSorted(values.Order().ToArray());

    private sealed record ProtocolLatency(
        string Protocol,
        List<double> InProcessMs,
        List<double> InProcessComputeMs,
        List<double[]> InProcessStepMs,
        List<double> InProcessCpuMs,
        List<JobTimeline> Remote,
        List<Dictionary<string, double>> RemoteCpuMs,
        int Identical);
}
