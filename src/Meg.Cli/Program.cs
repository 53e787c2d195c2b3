using Meg.Cli;
using Spectre.Console;

// Tables wrap badly at the 80 columns Spectre assumes when output goes to a file or pipe.
if (Console.IsOutputRedirected)
{
    AnsiConsole.Profile.Width = 200;
}

return await MegCli.CreateRoot().Parse(args).InvokeAsync();
