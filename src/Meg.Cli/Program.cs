using System.CommandLine;
using Meg.Cli.Commands;
using Spectre.Console;

// Tables wrap badly at the 80 columns Spectre assumes when output goes to a file or pipe.
if (Console.IsOutputRedirected)
{
    AnsiConsole.Profile.Width = 200;
}

var root = new RootCommand("MEG: Mobile Edge Generation. A latent diffusion model split between edge servers and user devices, over an emulated wireless channel.")
{
    ProtocolsCommand.Create(),
    ChannelCommand.Create(),
    GenerateCommand.Create(),
    ExperimentCommand.Create(),
    EvalModelCommand.Create(),
};

return await root.Parse(args).InvokeAsync();
