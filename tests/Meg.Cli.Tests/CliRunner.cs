using Spectre.Console;

namespace Meg.Cli.Tests;

/// <summary>Runs a CLI command in-process and captures what it printed. Console redirection is global,
/// so every test class that uses it belongs to one non-parallel collection.</summary>
internal static class CliRunner
{
    private static readonly object Gate = new();

    public static (int ExitCode, string Output, string Error) Run(params string[] args)
    {
        lock (Gate)
        {
            var originalOut = Console.Out;
            var originalError = Console.Error;
            var output = new StringWriter();
            var error = new StringWriter();
            try
            {
                Console.SetOut(output);
                Console.SetError(error);
                AnsiConsole.Console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(output), Interactive = InteractionSupport.No, Ansi = AnsiSupport.No });
                AnsiConsole.Profile.Width = 200;
                var code = MegCli.CreateRoot().Parse(args).Invoke();
                return (code, output.ToString(), error.ToString());
            }
            finally
            {
                Console.SetOut(originalOut);
                Console.SetError(originalError);
            }
        }
    }
}

[CollectionDefinition("console", DisableParallelization = true)]
public sealed class ConsoleCollection;
