using System.CommandLine;
using Meg.Diffusion.Pipeline;
using Meg.Imaging;
using Spectre.Console;

namespace Meg.Cli.Commands;

/// <summary>`meg generate`: text-to-image, or image-to-image from a sketch, with the shipped model (or another export in its layout).</summary>
public static class GenerateCommand
{
    public static Command Create()
    {
        var prompt = new Option<string>("--prompt") { Description = "What to draw, e.g. \"a big red star at the top left on a blue background\".", Required = true };
        var sketch = new Option<string?>("--sketch") { Description = "PNG to start from (image-to-image); must have the model's size." };
        var strength = new Option<double?>("--strength") { Description = "Image-to-image strength in (0, 1]. Default: 1 for a sketch-conditioned model (the sketch is its condition), 0.7 otherwise." };
        var steps = new Option<int>("--steps") { Description = "Denoising steps, 1 to the model's maximum (999 for meg-tiny and Stable Diffusion's schedule).", DefaultValueFactory = _ => 20 };
        var guidance = new Option<double>("--guidance") { Description = "Classifier-free guidance scale (1-50; 1 = none).", DefaultValueFactory = _ => 4 };
        var seed = new Option<ulong>("--seed") { Description = "Random seed of every noise draw: the same one gives the same image.", DefaultValueFactory = _ => 1 };
        var sampler = new Option<string>("--sampler") { Description = "ddim or euler.", DefaultValueFactory = _ => "ddim" };
        var model = new Option<string?>("--model") { Description = "Model folder (SD ONNX layout). Default: $MEG_MODEL or models/meg-tiny." };
        var provider = ProviderOption.Create();
        var robust = new Option<bool>("--robust-decoder") { Description = "Decode with the noise-robust VAE decoder." };
        var output = new Option<string>("--out") { Description = "Output PNG path.", DefaultValueFactory = _ => "out.png" };
        var command = new Command("generate", "Generate one image from a prompt (and optionally a sketch).")
        {
            prompt, sketch, strength, steps, guidance, seed, sampler, model, provider, robust, output,
        };
        command.SetAction(parse => CliErrors.Run(() =>
        {
            var promptText = parse.GetValue(prompt)!;
            if (string.IsNullOrWhiteSpace(promptText) || promptText.Length > 1000)
            {
                throw new ArgumentException("--prompt must be 1 to 1000 characters.");
            }

            var sketchPath = parse.GetValue(sketch);
            var sketchImage = sketchPath is null ? null : PngCodec.ReadFile(sketchPath);
            using var pipeline = ProviderOption.LoadPipeline(RepositoryLayout.LocateModel(parse.GetValue(model)), parse, provider);
            var defaultStrength = sketchImage is not null && !pipeline.SketchConditioned ? 0.7 : 1.0;
            var settings = new GenerationSettings
            {
                Steps = parse.GetValue(steps),
                Guidance = parse.GetValue(guidance),
                Strength = parse.GetValue(strength) ?? defaultStrength,
                RandomSeed = parse.GetValue(seed),
                Sampler = parse.GetValue(sampler)!,
            }.Validate();
            if (sketchImage is not null && (sketchImage.Width != pipeline.ImageWidth || sketchImage.Height != pipeline.ImageHeight))
            {
                throw new ArgumentException($"--sketch {sketchPath} is {sketchImage.Width}x{sketchImage.Height}; this model takes {pipeline.ImageWidth}x{pipeline.ImageHeight}.");
            }

            var started = DateTime.UtcNow;
            RgbImage image = null!;
            AnsiConsole.Progress().Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn())
                .Start(ctx =>
                {
                    var task = ctx.AddTask("denoising", maxValue: settings.Steps);
                    task.Value = settings.StartStep;
                    image = pipeline.Generate(promptText, sketchImage, settings, new Progress<int>(step => task.Value = step), parse.GetValue(robust));
                    task.Value = settings.Steps;
                });
            var path = parse.GetValue(output)!;
            PngCodec.WriteFile(image, path);
            AnsiConsole.MarkupLine($"Wrote [bold]{Markup.Escape(path)}[/] ({image.Width}x{image.Height}) in {(DateTime.UtcNow - started).TotalSeconds:0.00} s");
        }));
        return command;
    }
}
