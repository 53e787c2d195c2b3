using System.CommandLine;
using Meg.Cli.Commands;

namespace Meg.Cli;

/// <summary>The command tree, built in one place so tests can run commands in-process.</summary>
public static class MegCli
{
    public static RootCommand CreateRoot() => new("MEG: Mobile Edge Generation. A latent diffusion model split between edge servers and user devices, over an emulated wireless channel.")
    {
        ProtocolsCommand.Create(),
        ChannelCommand.Create(),
        GenerateCommand.Create(),
        ExperimentCommand.Create(),
        EvalModelCommand.Create(),
        UpCommand.Create(),
        SubmitCommand.Create(),
        LoadCommand.Create(),
        FuzzCommand.Create(),
        ChaosCommand.Create(),
    };
}
