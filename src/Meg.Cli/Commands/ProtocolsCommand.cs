using System.CommandLine;
using System.Text.Json;
using Meg.Protocols;
using Meg.Protocols.BuiltIn;
using Meg.Protocols.Costs;
using Meg.Protocols.Plans;
using Spectre.Console;

namespace Meg.Cli.Commands;

/// <summary>`meg protocols`: every protocol's stages per node and payload per link, for two model sizes.</summary>
public static class ProtocolsCommand
{
    /// <summary>SD-1.5 rows use SD-style image-to-image at 0.75; the sketch-conditioned shipped model starts from pure noise.</summary>
    private const double SdStrength = 0.75;

    public static Command Create()
    {
        var json = new Option<bool>("--json") { Description = "Print JSON instead of tables." };
        var steps = new Option<int>("--steps") { Description = "Denoising steps N (1-1000).", DefaultValueFactory = _ => 20 };
        var edgeServers = new Option<int>("--edge-servers") { Description = "Edge servers K for multi-ES protocols (1-64).", DefaultValueFactory = _ => 2 };
        var seedBits = new Option<int>("--seed-bits") { Description = "Bits per latent value when seeds are counted in bits: 8, 16 or 32.", DefaultValueFactory = _ => 32 };
        var promptBytes = new Option<int>("--prompt-bytes") { Description = "Prompt length in UTF-8 bytes.", DefaultValueFactory = _ => 64 };
        var command = new Command("protocols", "Print every MEG protocol: stages per node and payload per link, for the shipped model and for Stable Diffusion 1.5 at 512x512.")
        {
            json, steps, edgeServers, seedBits, promptBytes,
        };
        command.SetAction(parse => CliErrors.Run(() =>
        {
            var options = new AccountingOptions { SeedBitsPerValue = parse.GetValue(seedBits), PromptBytes = parse.GetValue(promptBytes) }.Validate();
            var reports = new[] { ModelDimensions.MegTiny, ModelDimensions.StableDiffusion15 }
                .Select(model => ProtocolReport.For(model, PlanParameters.ForModel(model, parse.GetValue(steps), SdStrength, parse.GetValue(edgeServers)), options))
                .ToArray();
            if (parse.GetValue(json))
            {
                Console.Out.WriteLine(JsonSerializer.Serialize(reports.Select(r => r.ToJson()), CliJson.Options));
            }
            else
            {
                foreach (var report in reports)
                {
                    report.Render();
                }
            }
        }));
        return command;
    }
}
