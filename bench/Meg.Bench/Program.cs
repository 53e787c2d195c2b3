using Meg.Bench;

// Usage: dotnet run -c Release --project bench/Meg.Bench -- <benchmark> [args]
IBenchmark[] benchmarks =
[
    new AwgnBenchmark(),
    new BerBenchmark(),
    new UnetBenchmark(),
    new UnetRowsBenchmark(),
    new GenerateBenchmark(),
    new DistributedBenchmark(),
    new HandoverBenchmark(),
    new BatchingBenchmark(),
    new ExperimentSweepBenchmark(),
];

IBenchmark? chosen = args.Length > 0 ? benchmarks.FirstOrDefault(b => b.Name.Equals(args[0], StringComparison.OrdinalIgnoreCase)) : null;
if (chosen is null)
{
    Console.Error.WriteLine(args.Length > 0 ? $"Unknown benchmark '{args[0]}'." : "Name a benchmark.");
    Console.Error.WriteLine("Usage: dotnet run -c Release --project bench/Meg.Bench -- <benchmark> [args]");
    foreach (IBenchmark benchmark in benchmarks)
    {
        Console.Error.WriteLine($"  {benchmark.Name,-10} {benchmark.Description}");
    }

    return 2;
}

return chosen.Run(args[1..]);
