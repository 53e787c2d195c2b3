using System.CommandLine;
using System.Text.Json;
using Meg.Diffusion.Pipeline;
using Meg.Experiments;
using Spectre.Console;

namespace Meg.Cli.Commands;

/// <summary>`meg eval-model`: the model card's quality bars recomputed in C#, beside the training tool's numbers.</summary>
public static class EvalModelCommand
{
    /// <summary>Agreement allowed with the Python numbers. Reconstruction and real-image checks are deterministic
    /// (only float rounding differs); generated-image rates differ by the noise draws (C# and PyTorch use different
    /// generators), so they agree statistically: see <see cref="RateTolerance"/>.</summary>
    private static readonly Dictionary<string, double> Tolerance = new()
    {
        ["vae_psnr_db"] = 0.1,
        ["real_clip_rank"] = 0.01,
        ["iou"] = 0.04,
    };

    /// <summary>About 2.3 binomial standard deviations of a rate near 0.85: 0.06 at 256 items, widening with the
    /// square root as fewer items are scored (one pen width's share of the drawn set).</summary>
    private static double RateTolerance(int items) => 0.06 * Math.Sqrt(256.0 / items);

    public static Command Create()
    {
        var model = new Option<string?>("--model") { Description = "Model folder. Default: $MEG_MODEL or models/meg-tiny." };
        var items = new Option<int>("--items") { Description = "Held-out items to evaluate (up to the set's size).", DefaultValueFactory = _ => 256 };
        var steps = new Option<int>("--steps") { Description = "DDIM steps.", DefaultValueFactory = _ => 20 };
        var guidance = new Option<double>("--guidance") { Description = "Guidance scale.", DefaultValueFactory = _ => 4 };
        var provider = ProviderOption.Create();
        var output = new Option<string>("--out") { Description = "Folder for eval_csharp.json.", DefaultValueFactory = _ => "results/eval-model" };
        var heldOut = new Option<string>("--set")
        {
            Description = "Held-out set: 'generator' (eval/, sketched by the training pens) or 'drawn' (eval_drawn/, sketched by another drawing method).",
            DefaultValueFactory = _ => "generator",
        };
        heldOut.AcceptOnlyFromAmong("generator", "drawn");
        var command = new Command("eval-model", "Recompute the model card's quality bars in C# on a held-out set and compare with the training tool's eval_metrics.json.")
        {
            model, items, steps, guidance, heldOut, provider, output,
        };
        command.SetAction(parse => CliErrors.Run(() =>
        {
            var folder = RepositoryLayout.LocateModel(parse.GetValue(model));
            var drawn = parse.GetValue(heldOut) == "drawn";
            var set = EvaluationSet.Load(Path.Combine(folder, drawn ? "eval_drawn" : "eval"));
            var count = parse.GetValue(items);
            if (count < 2 || count > set.Items.Count)
            {
                throw new ArgumentException($"--items must be from 2 to {set.Items.Count}; got {count}.");
            }

            var settings = new GenerationSettings { Steps = parse.GetValue(steps), Guidance = parse.GetValue(guidance) }.Validate();
            using var pipeline = ProviderOption.LoadPipeline(folder, parse, provider);
            using var scorer = ClipStyleScorer.TryLoad(folder, pipeline.Options) ?? throw new FileNotFoundException($"{folder} has no image_encoder/model.onnx; the evaluation needs it.");
            ModelEvaluation.Report report = null!;
            var clock = System.Diagnostics.Stopwatch.StartNew();
            AnsiConsole.Progress().Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn(), new RemainingTimeColumn())
                .Start(ctx =>
                {
                    var task = ctx.AddTask("reconstruct, image-to-image, text-to-image");
                    report = new ModelEvaluation(pipeline, scorer, set).Run(count, settings.Steps, settings.Guidance, new Progress<(int Done, int Total)>(p =>
                    {
                        task.MaxValue = p.Total;
                        task.Value = p.Done;
                    }));
                });
            var python = ReadPython(Path.Combine(folder, "eval_metrics.json"));
            var rates = RateTolerance(report.Items);
            // Python scores the whole set; on fewer items (--items) its numbers are shown but not compared.
            var comparable = python?.Get("settings", "items") == report.Items;
            var (i2i, real, txt) = drawn ? ("img2img_drawn", "real_drawn_set", "txt2img_drawn") : ("img2img", "real", "txt2img");
            var rows = new List<(string Name, double CSharp, double? Python, double Tolerance, string Bar)>
            {
                ("VAE reconstruction PSNR (dB)", report.VaePsnrDb, drawn ? python?.Get(real, "vae_psnr_db") : python?.Get("vae_psnr_db"), Tolerance["vae_psnr_db"], ">= 30"),
                ("CLIP rank-1 of 8, real scenes", report.RealClipRank1Of8, python?.Get(real, "clip_rank1_of_8"), Tolerance["real_clip_rank"], ">= 0.95"),
                ("img2img colours obeyed", report.ImageToImage.ColoursObeyed, python?.Get(i2i, "colours_obeyed_items"), rates, drawn ? ">= 0.80" : ">= 0.85"),
                ("img2img CLIP rank-1 of 8", report.ImageToImage.ClipRank1Of8, python?.Get(i2i, "clip_rank1_of_8"), rates, ">= 0.80"),
                ("img2img layout IoU", report.ImageToImage.LayoutIou, python?.Get(i2i, "layout_iou_mean"), Tolerance["iou"], ">= 0.7"),
                ("img2img filled shapes (in their colour)", report.ImageToImage.FilledShapes, python?.Get(i2i, "filled_shapes"), rates, ""),
                ("img2img solid shapes (filled, any colour)", report.ImageToImage.SolidShapes, python?.Get(i2i, "solid_shapes"), rates, drawn ? ">= 0.9 at every pen width" : ""),
                ("img2img rings (outline around the background)", report.ImageToImage.RingShapes, python?.Get(i2i, "ring_shapes"), rates, drawn ? "<= 0.01 at every pen width" : ""),
                ("img2img shape colour accuracy", report.ImageToImage.ShapeColourAccuracy, python?.Get(i2i, "shape_colour_accuracy"), rates, ""),
                ("txt2img colours obeyed", report.TextToImage.ColoursObeyed, python?.Get(txt, "colours_obeyed_items"), rates, "(reported)"),
                ("txt2img layout IoU", report.TextToImage.LayoutIou, python?.Get(txt, "layout_iou_mean"), Tolerance["iou"], "(reported)"),
                ("img2img MEG-FD vs real", report.ImageToImage.FrechetDistance, python?.Get(i2i, "meg_fd_vs_real_eval"), double.NaN, "(reported)"),
            };
            var table = new Table().Border(TableBorder.Rounded).Title($"meg-tiny quality on {report.Items} {(drawn ? "drawn" : "generator")} held-out items, {report.Steps} DDIM steps, guidance {report.Guidance}")
                .AddColumn("Measure").AddColumn(new TableColumn("C#").RightAligned()).AddColumn(new TableColumn("Python").RightAligned())
                .AddColumn(new TableColumn("|diff|").RightAligned()).AddColumn(new TableColumn("agrees").RightAligned()).AddColumn("Bar");
            foreach (var (name, cs, py, tol, bar) in rows)
            {
                var diff = py is { } p ? Math.Abs(cs - p) : double.NaN;
                table.AddRow(Markup.Escape(name), F(cs), py is { } v ? F(v) : "-", double.IsNaN(diff) ? "-" : F(diff), comparable ? Verdict(Agrees(cs, py, tol), tol) : "-", Markup.Escape(bar));
            }

            clock.Stop();
            AnsiConsole.Write(table);
            if (report.ImageToImage.ByPenWidth.Count > 0)
            {
                AnsiConsole.Write(PenWidthTable(report.ImageToImage.ByPenWidth, comparable ? python : null, i2i));
            }

            if (python is null)
            {
                AnsiConsole.MarkupLine($"[yellow]No eval_metrics.json in {Markup.Escape(folder)}: nothing to compare with.[/]");
            }
            else if (!comparable)
            {
                AnsiConsole.MarkupLine($"[yellow]Python scored {python.Get("settings", "items")} items, this run {report.Items}: its numbers are shown, not compared.[/]");
            }

            var outFolder = parse.GetValue(output)!;
            Directory.CreateDirectory(outFolder);
            var path = Path.Combine(outFolder, "eval_csharp.json");
            File.WriteAllText(path, JsonSerializer.Serialize(report, new JsonSerializerOptions(CliJson.Options) { NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals }));
            AnsiConsole.MarkupLine($"Wrote [bold]{Markup.Escape(path)}[/]; the evaluation took {clock.Elapsed.TotalSeconds:0.0} s on {Markup.Escape(pipeline.RunsOn.Describe(pipeline.Options))}");
        }));
        return command;
    }

    private static string F(double v) => double.IsNaN(v) ? "-" : v.ToString("0.000");

    /// <summary>Whether C# and Python agree within the tolerance; null when there is nothing to compare.</summary>
    private static bool? Agrees(double csharp, double? python, double tolerance) =>
        double.IsNaN(tolerance) || python is null || double.IsNaN(csharp) ? null : Math.Abs(csharp - python.Value) <= tolerance;

    private static string Verdict(bool? agrees, double tolerance) => agrees switch
    {
        null => "-",
        true => $"yes (<= {tolerance:0.###})",
        false => $"[red]no (> {tolerance:0.###})[/]",
    };

    /// <summary>Image-to-image per sketch pen width, C# beside Python (its <c>by_pen_width</c>), with one agreement
    /// verdict per width over its five measures.</summary>
    private static Table PenWidthTable(IReadOnlyList<ModelEvaluation.PenWidthScores> widths, PythonMetrics? python, string set)
    {
        var table = new Table().Border(TableBorder.Rounded).Title("image-to-image by pen width (px of the 64-px side); bar: solid shapes >= 0.9 and rings <= 0.01 at every width")
            .AddColumn(new TableColumn("pen").RightAligned()).AddColumn(new TableColumn("items").RightAligned())
            .AddColumn(new TableColumn("solid C#").RightAligned()).AddColumn(new TableColumn("Python").RightAligned())
            .AddColumn(new TableColumn("rings C#").RightAligned()).AddColumn(new TableColumn("Python").RightAligned())
            .AddColumn(new TableColumn("filled C#").RightAligned()).AddColumn(new TableColumn("Python").RightAligned())
            .AddColumn(new TableColumn("colours C#").RightAligned()).AddColumn(new TableColumn("Python").RightAligned())
            .AddColumn(new TableColumn("IoU C#").RightAligned()).AddColumn(new TableColumn("Python").RightAligned())
            .AddColumn(new TableColumn("agrees").RightAligned());
        foreach (var w in widths)
        {
            var key = w.PenWidth.ToString("0.0###", System.Globalization.CultureInfo.InvariantCulture);
            var filled = python?.Get(set, "by_pen_width", key, "filled_shapes");
            var solid = python?.Get(set, "by_pen_width", key, "solid_shapes");
            var rings = python?.Get(set, "by_pen_width", key, "ring_shapes");
            var colours = python?.Get(set, "by_pen_width", key, "colours_obeyed_items");
            var iou = python?.Get(set, "by_pen_width", key, "layout_iou_mean");
            var rates = RateTolerance(w.Items);
            bool?[] agree = [Agrees(w.SolidShapes, solid, rates), Agrees(w.RingShapes, rings, rates), Agrees(w.FilledShapes, filled, rates), Agrees(w.ColoursObeyed, colours, rates), Agrees(w.LayoutIou, iou, Tolerance["iou"])];
            var verdict = agree.All(a => a is null) ? (bool?)null : !agree.Contains(false);
            table.AddRow(key, w.Items.ToString(System.Globalization.CultureInfo.InvariantCulture),
                Bar(w.SolidShapes >= 0.9, w.SolidShapes), solid is { } o ? F(o) : "-",
                Bar(w.RingShapes <= 0.01, w.RingShapes), rings is { } r ? F(r) : "-",
                F(w.FilledShapes), filled is { } f ? F(f) : "-",
                F(w.ColoursObeyed), colours is { } c ? F(c) : "-",
                F(w.LayoutIou), iou is { } i ? F(i) : "-", Verdict(verdict, rates));
        }

        return table;

        static string Bar(bool met, double value) => met ? F(value) : $"[yellow]{F(value)}[/]";
    }

    private static PythonMetrics? ReadPython(string path) => File.Exists(path) ? new PythonMetrics(JsonDocument.Parse(File.ReadAllText(path))) : null;

    private sealed class PythonMetrics(JsonDocument document)
    {
        public double? Get(params string[] path)
        {
            var element = document.RootElement;
            foreach (var key in path)
            {
                if (element.ValueKind != JsonValueKind.Object || !element.TryGetProperty(key, out element))
                {
                    return null;
                }
            }

            return element.ValueKind == JsonValueKind.Number ? element.GetDouble() : null;
        }
    }
}
