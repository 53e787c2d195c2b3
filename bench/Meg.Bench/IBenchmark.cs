namespace Meg.Bench;

/// <summary>One named benchmark of the dispatcher.</summary>
internal interface IBenchmark
{
    /// <summary>The command-line name, e.g. "awgn".</summary>
    string Name { get; }

    /// <summary>One line for the usage text.</summary>
    string Description { get; }

    /// <summary>Runs the benchmark and prints its results; returns the process exit code.</summary>
    int Run(string[] args);
}
