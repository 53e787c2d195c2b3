using Meg.Distributed.Jobs;
using Meg.Distributed.Nodes;
using Meg.Protocols.BuiltIn;
using Meg.Scheduler.Model;

namespace Meg.Scheduler.Apis;

/// <summary>
/// What the running model is and accepts (reached through the gateway at /api/model): its name and image size, the
/// protocols and channels a job may ask for, the words its captions are made of, and its held-out scenes with their
/// sketches. The web page builds its form from this, so it needs nothing but the public API.
/// </summary>
public static class ModelApi
{
    public static IEndpointRouteBuilder MapModelApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/model").WithTags("Model").RequireAuthorization();
        api.MapGet("/", Describe).WithSummary("The model, its protocols and channels, and its prompt vocabulary");
        api.MapGet("/scenes", (HeldOutScenes scenes) => scenes.Scenes).WithSummary("The model's held-out scenes: id and caption");
        api.MapGet("/scenes/{id:int}/sketch", (int id, HeldOutScenes scenes) => scenes.SketchPng(id) is { } png
                ? Results.File(png, "image/png", $"scene-{id:000}-sketch.png")
                : Results.Problem($"There is no held-out scene {id}; GET /api/model/scenes lists them.", statusCode: StatusCodes.Status404NotFound, title: "Unknown scene"))
            .WithSummary("A held-out scene's input sketch (PNG)");
        return app;
    }

    private static ModelDescription Describe(ModelHost model, HeldOutScenes scenes)
    {
        var dimensions = model.Dimensions;
        var vocabulary = scenes.Vocabulary;
        var size = $"{dimensions.ImageWidth}x{dimensions.ImageHeight}";
        var note = vocabulary.Shapes.Count == 0
            ? $"{model.Name} draws {size} images."
            : $"{model.Name} draws {size} {scenes.Description ?? "scenes of 1 to 3 shapes"} ({string.Join(", ", vocabulary.Shapes)}" +
              (vocabulary.Sizes.Count > 0 ? $"; {string.Join(", ", vocabulary.Sizes)}" : "") +
              $"), in {vocabulary.Colours.Count} colours. " +
              (scenes.ExampleCaption is { } example ? $"It was trained on captions such as \"{example}\" " : "It was trained on captions ") +
              "and knows only their words: anything else has little effect. It follows the sketch's outlines, so draw the shapes where the caption puts them.";
        return new ModelDescription(
            model.Name,
            dimensions.ImageWidth,
            dimensions.ImageHeight,
            model.Pipeline.MaxSteps,
            note,
            vocabulary,
            ProtocolCatalog.All.Select(p => new ProtocolSummary(p.Name, p.Reading, p.MultiEdge, ProtocolCatalog.CaseStudy.Contains(p.Name))).ToArray(),
            JobRequestValidator.ChannelNames,
            scenes.Scenes.Count);
    }
}

/// <summary>What <c>GET /api/model</c> answers.</summary>
public sealed record ModelDescription(string Name, int Width, int Height, int MaxSteps, string Note, PromptVocabulary Vocabulary,
    IReadOnlyList<ProtocolSummary> Protocols, IReadOnlyList<string> Channels, int Scenes);

/// <summary>A protocol as the page lists it: name, what it means, whether it needs several edge servers, and whether it is
/// one of the paper's single-ES case study.</summary>
public sealed record ProtocolSummary(string Name, string Reading, bool MultiEdge, bool CaseStudy);
