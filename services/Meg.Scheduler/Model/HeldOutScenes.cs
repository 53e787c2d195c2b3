using System.Text.Json;
using Meg.Distributed.Nodes;

namespace Meg.Scheduler.Model;

/// <summary>
/// The model's held-out scenes (<c>eval/items.json</c> and <c>eval/NNN_sketch.png</c> in its folder, written by the
/// training tool's scene generator) and the vocabulary they are written in: what the web page offers as "pick a
/// scene" and as prompt suggestions. A model without an eval folder has no scenes and an empty vocabulary.
/// </summary>
public sealed class HeldOutScenes
{
    private readonly string _folder;
    private readonly Lazy<(IReadOnlyList<HeldOutScene> Scenes, PromptVocabulary Vocabulary)> _loaded;

    public HeldOutScenes(ModelHost model)
    {
        _folder = Path.Combine(model.Folder, "eval");
        _loaded = new(Load);
    }

    public IReadOnlyList<HeldOutScene> Scenes => _loaded.Value.Scenes;

    public PromptVocabulary Vocabulary => _loaded.Value.Vocabulary;

    /// <summary>The scene's input sketch (PNG bytes), or null for an unknown id.</summary>
    public byte[]? SketchPng(int id)
    {
        var path = Path.Combine(_folder, $"{id:000}_sketch.png");
        return Scenes.Any(s => s.Id == id) && File.Exists(path) ? File.ReadAllBytes(path) : null;
    }

    private (IReadOnlyList<HeldOutScene>, PromptVocabulary) Load()
    {
        var path = Path.Combine(_folder, "items.json");
        if (!File.Exists(path))
        {
            return ([], new PromptVocabulary([], [], [], []));
        }

        using var file = JsonDocument.Parse(File.ReadAllBytes(path));
        var root = file.RootElement;
        var items = root.GetProperty("items").EnumerateArray().ToArray();
        var scenes = items.Select(i => new HeldOutScene(i.GetProperty("id").GetInt32(), i.GetProperty("caption").GetString() ?? "")).ToArray();
        var shapes = items.SelectMany(i => i.TryGetProperty("shapes", out var s) ? s.EnumerateArray() : Enumerable.Empty<JsonElement>()).ToArray();

        // The generator's lists where it wrote them, else what the scenes use.
        string[] Words(string list, string field) => root.TryGetProperty(list, out var named) && named.ValueKind == JsonValueKind.Array
            ? named.EnumerateArray().Select(e => e.GetString() ?? "").ToArray()
            : shapes.Select(s => s.TryGetProperty(field, out var v) ? v.GetString() ?? "" : "").Where(w => w.Length > 0).Distinct().Order().ToArray();

        var colours = root.TryGetProperty("palette", out var palette) ? palette.EnumerateObject().Select(p => p.Name).ToArray() : Words("colours", "colour");
        return (scenes, new PromptVocabulary(colours, Words("kinds", "kind"), Words("sizes", "size"), Words("positions", "position")));
    }
}

/// <summary>One held-out scene: its id (the sketch is <c>/api/model/scenes/{id}/sketch</c>) and caption.</summary>
public sealed record HeldOutScene(int Id, string Caption);

/// <summary>The words the shipped model's captions are made of, by role.</summary>
public sealed record PromptVocabulary(IReadOnlyList<string> Colours, IReadOnlyList<string> Shapes, IReadOnlyList<string> Sizes, IReadOnlyList<string> Positions);
