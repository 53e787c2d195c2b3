using System.Text.Json;
using System.Text.Json.Serialization;
using Meg.Imaging;

namespace Meg.Experiments;

/// <summary>
/// The model's fixed held-out scenes (models/&lt;name&gt;/eval): caption, input sketch, the true image and a
/// shape mask, exported by the training tool's scene generator (the one source of truth for scenes).
/// </summary>
public sealed class EvaluationSet
{
    private EvaluationSet(string folder, IReadOnlyList<EvaluationItem> items, IReadOnlyDictionary<string, int[]> palette,
        IReadOnlyList<string> kinds, IReadOnlyList<string> sizes, IReadOnlyList<string> positions, string? sceneDescription)
    {
        SceneDescription = sceneDescription;
        Folder = folder;
        Items = items;
        Palette = palette;
        Kinds = kinds;
        Sizes = sizes;
        Positions = positions;
    }

    public string Folder { get; }

    public IReadOnlyList<EvaluationItem> Items { get; }

    /// <summary>Colour name to RGB, as the generator paints them.</summary>
    public IReadOnlyDictionary<string, int[]> Palette { get; }

    /// <summary>The caption words for shapes, sizes and positions, as the generator lists them (shapes: else those the
    /// scenes use; sizes and positions: else none).</summary>
    public IReadOnlyList<string> Kinds { get; }

    public IReadOnlyList<string> Sizes { get; }

    public IReadOnlyList<string> Positions { get; }

    /// <summary>What the scenes hold, in the generator's words ("scenes of 1 to 3 shapes of any size ..."); null when the
    /// set does not say.</summary>
    public string? SceneDescription { get; }

    public static EvaluationSet Load(string folder)
    {
        var path = Path.Combine(folder, "items.json");
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"Evaluation set not found: {path} (the model folder's eval/ holds it).", path);
        }

        var file = JsonSerializer.Deserialize<EvaluationFile>(File.ReadAllText(path))
                   ?? throw new InvalidDataException($"{path} is empty.");
        var items = file.Items.Select(i => i with { Folder = folder }).ToArray();
        var kinds = file.Kinds ?? items.SelectMany(i => i.Shapes).Select(s => s.Kind).Distinct().Order().ToArray();
        return new EvaluationSet(folder, items, file.Palette ?? new Dictionary<string, int[]>(), kinds, file.Sizes ?? [], file.Positions ?? [], file.Scenes);
    }

    private sealed record EvaluationFile(
        [property: JsonPropertyName("items")] IReadOnlyList<EvaluationItem> Items,
        [property: JsonPropertyName("palette")] Dictionary<string, int[]>? Palette,
        [property: JsonPropertyName("kinds")] IReadOnlyList<string>? Kinds,
        [property: JsonPropertyName("sizes")] IReadOnlyList<string>? Sizes,
        [property: JsonPropertyName("positions")] IReadOnlyList<string>? Positions,
        [property: JsonPropertyName("scenes")] string? Scenes);
}

/// <summary>One held-out scene.</summary>
public sealed record EvaluationItem(
    [property: JsonPropertyName("id")] int Id,
    [property: JsonPropertyName("caption")] string Caption,
    [property: JsonPropertyName("background")] IReadOnlyList<string> Background,
    [property: JsonPropertyName("shapes")] IReadOnlyList<EvaluationShape> Shapes)
{
    /// <summary>Same-layout captions with other colours, written by the scene generator, for the CLIP-style ranking check.</summary>
    [JsonPropertyName("negative_captions")]
    public IReadOnlyList<string> NegativeCaptions { get; init; } = [];

    /// <summary>The sketch's pen width in pixels of the 64-pixel side, in sets that vary it (the drawn set); else null.</summary>
    [JsonPropertyName("pen_width")]
    public double? PenWidth { get; init; }

    [JsonIgnore]
    public string Folder { get; init; } = "";

    /// <summary>The scene's input sketch (a PNG file).</summary>
    [JsonIgnore]
    public string SketchPath => Path.Combine(Folder, $"{Id:000}_sketch.png");

    public RgbImage LoadSketch() => PngCodec.ReadFile(SketchPath);

    public RgbImage LoadImage() => PngCodec.ReadFile(Path.Combine(Folder, $"{Id:000}_image.png"));

    public RgbImage LoadMask() => PngCodec.ReadFile(Path.Combine(Folder, $"{Id:000}_mask.png"));
}

/// <summary>One shape of a scene; <see cref="MaskValue"/> marks its pixels in the mask image.</summary>
public sealed record EvaluationShape(
    [property: JsonPropertyName("kind")] string Kind,
    [property: JsonPropertyName("colour")] string Colour,
    [property: JsonPropertyName("mask_value")] int MaskValue);
