using Meg.Distributed.Nodes;
using Meg.Experiments;

namespace Meg.Scheduler.Model;

/// <summary>
/// The model's held-out scenes (its <c>eval/</c> folder, read as the experiment reads it: <see cref="EvaluationSet"/>)
/// and the vocabulary they are written in: what the web page offers as "pick a scene" and as prompt suggestions. A
/// model without an eval folder has no scenes and an empty vocabulary.
/// </summary>
public sealed class HeldOutScenes
{
    // Read once, on first use: every request asks for the same scenes and words.
    private readonly Lazy<(EvaluationSet? Set, IReadOnlyList<HeldOutScene> Scenes, PromptVocabulary Vocabulary)> _read;

    public HeldOutScenes(ModelHost model)
    {
        var folder = Path.Combine(model.Folder, "eval");
        _read = new(() =>
        {
            var set = File.Exists(Path.Combine(folder, "items.json")) ? EvaluationSet.Load(folder) : null;
            return set is null
                ? (null, [], new PromptVocabulary([], [], [], []))
                : (set, set.Items.Select(i => new HeldOutScene(i.Id, i.Caption)).ToArray(), new PromptVocabulary(set.Palette.Keys.ToArray(), set.Kinds, set.Sizes, set.Positions));
        });
    }

    public IReadOnlyList<HeldOutScene> Scenes => _read.Value.Scenes;

    public PromptVocabulary Vocabulary => _read.Value.Vocabulary;

    /// <summary>What the scenes hold, as the scene generator describes them; null when the set does not say.</summary>
    public string? Description => _read.Value.Set?.SceneDescription;

    /// <summary>A caption of the set with the most shapes: an example of what the model was trained on.</summary>
    public string? ExampleCaption => _read.Value.Set?.Items.MaxBy(i => i.Shapes.Count)?.Caption;

    /// <summary>The scene's input sketch (PNG bytes), or null for an unknown id.</summary>
    public byte[]? SketchPng(int id) =>
        _read.Value.Set?.Items.FirstOrDefault(i => i.Id == id) is { } item && File.Exists(item.SketchPath) ? File.ReadAllBytes(item.SketchPath) : null;
}

/// <summary>One held-out scene: its id (the sketch is <c>/api/model/scenes/{id}/sketch</c>) and caption.</summary>
public sealed record HeldOutScene(int Id, string Caption);

/// <summary>The words the shipped model's captions are made of, by role.</summary>
public sealed record PromptVocabulary(IReadOnlyList<string> Colours, IReadOnlyList<string> Shapes, IReadOnlyList<string> Sizes, IReadOnlyList<string> Positions);
