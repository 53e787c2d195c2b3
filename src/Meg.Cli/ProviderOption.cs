using System.CommandLine;
using Meg.Diffusion.Models;
using Meg.Diffusion.Pipeline;
using Spectre.Console;

namespace Meg.Cli;

/// <summary>The `--provider cpu|cuda` option shared by the commands that run the model, and the line that says
/// where the model really runs (CUDA falls back to CPU, and the user should not have to guess which happened).</summary>
internal static class ProviderOption
{
    public static Option<string> Create(string description =
        "Execution provider: cpu or cuda. CUDA needs the GPU build (MEG_CUDA=1 ./meg ...) and falls back to cpu, saying why.") =>
        new("--provider") { Description = description, DefaultValueFactory = _ => "cpu" };

    /// <summary>"cpu" or "cuda"; anything else is bad input naming the option.</summary>
    public static string Name(ParseResult parse, Option<string> option)
    {
        var value = parse.GetValue(option)!.Trim().ToLowerInvariant();
        return value is "cpu" or "cuda" ? value : throw new ArgumentException($"--provider must be cpu or cuda; got '{parse.GetValue(option)}'.");
    }

    /// <summary>Loads the model in <paramref name="folder"/> on the provider the option names and says where it really
    /// runs; other model parts (the CLIP-style scorer) load with the pipeline's <see cref="DiffusionPipeline.Options"/>.</summary>
    public static DiffusionPipeline LoadPipeline(string folder, ParseResult parse, Option<string> option)
    {
        var pipeline = DiffusionPipeline.Load(folder, new ExecutionOptions { Provider = Name(parse, option) });
        Announce(pipeline);
        return pipeline;
    }

    private static void Announce(DiffusionPipeline pipeline)
    {
        var line = pipeline.RunsOn.Describe(pipeline.Options);
        if (pipeline.RunsOn.FallbackReason is null)
        {
            AnsiConsole.MarkupLine($"Model runs on [bold]{Markup.Escape(line)}[/]");
        }
        else
        {
            AnsiConsole.MarkupLine($"[yellow]Model runs on {Markup.Escape(line)}[/]");
            AnsiConsole.MarkupLine("[grey]CUDA needs the GPU build (MEG_CUDA=1 ./meg ...), an NVIDIA driver, the CUDA 13 libraries " +
                                   "(libcudart.so.13, libcublas.so.13, libcublasLt.so.13, libcurand.so.10) and cuDNN 9 (libcudnn.so.9) on LD_LIBRARY_PATH.[/]");
        }
    }
}
