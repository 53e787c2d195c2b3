using System.Globalization;
using Meg.Protocols.BuiltIn;

namespace Meg.Bench;

/// <summary>Command-line options of the distributed benchmark; bad values name the option and what it accepts.</summary>
internal sealed record DistributedBenchmarkOptions
{
    public IReadOnlyList<string> Protocols { get; init; } = ["Centralized", "UIEG", "EIUG", "CIAG", "ESUC"];

    public int Repeats { get; init; } = 7;

    /// <summary>Unmeasured requests (the protocols in turn) before the measured ones. The services are .NET processes
    /// whose JIT recompiles hot code after about 30 calls: measured before that, each request costs the system several
    /// times the CPU it costs later (the scheduler 80-170 ms instead of 12), which a 2-core machine takes from the model.</summary>
    public int Warmup { get; init; } = 120;

    public int Steps { get; init; } = 20;

    public double SnrDb { get; init; } = 10;

    /// <summary>The job's channel, as the API names it (awgn, noiseless, rayleigh, rician, digital, capacity).</summary>
    public string Channel { get; init; } = "awgn";

    public int EdgeServers { get; init; } = 2;

    /// <summary>Let the services' ONNX Runtime threads spin (Meg:AllowSpinning), as the in-process engine does.</summary>
    public bool Spinning { get; init; }

    /// <summary>Have the services export their traces to the benchmark (OTLP), which splits each job's time by them. Off,
    /// the services trace but export nothing, as before the traces were read.</summary>
    public bool Traces { get; init; } = true;

    /// <summary>A file to write every measured job's spans to (JSON lines: protocol, request, span), for a closer look.</summary>
    public string? TraceFile { get; init; }

    /// <summary>A system already running (<c>./meg up</c>); null starts one through the AppHost.</summary>
    public Uri? Gateway { get; init; }

    public string Model { get; init; } = Path.GetFullPath(RepositoryLayout.LocateModel(null));

    public static DistributedBenchmarkOptions Parse(string[] args)
    {
        var options = new DistributedBenchmarkOptions();
        for (var i = 0; i < args.Length; i++)
        {
            var name = args[i];
            string Value() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{name} needs a value.");
            options = name switch
            {
                "--channel" => options with { Channel = Value() is var c && c is "awgn" or "noiseless" or "rayleigh" or "rician" or "digital" or "capacity"
                    ? c : throw new ArgumentException($"--channel must be awgn, noiseless, rayleigh, rician, digital or capacity; got '{c}'.") },
                "--spinning" => options with { Spinning = true },
                "--no-traces" => options with { Traces = false },
                "--trace-file" => options with { TraceFile = Path.GetFullPath(Value()) },
                "--protocols" => options with { Protocols = ParseProtocols(Value()) },
                "--repeats" => options with { Repeats = ParseInt(name, Value(), 1, 100) },
                "--warmup" => options with { Warmup = ParseInt(name, Value(), 0, 2000) },
                "--steps" => options with { Steps = ParseInt(name, Value(), 2, 200) },
                "--edge-servers" => options with { EdgeServers = ParseInt(name, Value(), 1, 8) },
                "--snr" => options with { SnrDb = double.TryParse(Value(), CultureInfo.InvariantCulture, out var snr) && snr is >= -30 and <= 60
                    ? snr : throw new ArgumentException("--snr must be a number of dB from -30 to 60.") },
                "--gateway" => options with { Gateway = Uri.TryCreate(Value(), UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https"
                    ? uri : throw new ArgumentException("--gateway must be an http(s) URL, e.g. http://localhost:5080.") },
                "--model" => options with { Model = Directory.Exists(Value()) ? Path.GetFullPath(args[i]) : throw new ArgumentException($"--model: no folder '{args[i]}'.") },
                _ => throw new ArgumentException($"Unknown option '{name}'."),
            };
        }

        return options;
    }

    private static IReadOnlyList<string> ParseProtocols(string text)
    {
        if (text.Equals("all", StringComparison.OrdinalIgnoreCase))
        {
            return ProtocolCatalog.Names.ToArray();
        }

        var names = text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var unknown = names.Where(n => !ProtocolCatalog.Names.Contains(n, StringComparer.OrdinalIgnoreCase)).ToArray();
        return unknown.Length > 0 || names.Length == 0
            ? throw new ArgumentException($"--protocols must be 'all' or names from: {string.Join(", ", ProtocolCatalog.Names)}; got '{text}'.")
            : names.Select(n => ProtocolCatalog.Get(n).Name).ToArray();
    }

    private static int ParseInt(string name, string text, int min, int max) =>
        int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) && value >= min && value <= max
            ? value
            : throw new ArgumentException($"{name} must be a whole number from {min} to {max}; got '{text}'.");
}
