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
    private readonly Lazy<EvaluationSet?> _set;

    public HeldOutScenes(ModelHost model)
    {
        var folder = Path.Combine(model.Folder, "eval");
        _set = new(() => File.Exists(Path.Combine(folder, "items.json")) ? EvaluationSet.Load(folder) : null);
    }

    public IReadOnlyList<HeldOutScene> Scenes => _set.Value?.Items.Select(i => new HeldOutScene(i.Id, i.Caption)).ToArray() ?? [];

    public PromptVocabulary Vocabulary => _set.Value is { } set
        ? new PromptVocabulary(set.Palette.Keys.ToArray(), set.Kinds, set.Sizes, set.Positions)
        : new PromptVocabulary([], [], [], []);

    /// <summary>The scene's input sketch (PNG bytes), or null for an unknown id.</summary>
    public byte[]? SketchPng(int id) =>
        _set.Value?.Items.FirstOrDefault(i => i.Id == id) is { } item && File.Exists(item.SketchPath) ? File.ReadAllBytes(item.SketchPath) : null;
}

/// <summary>One held-out scene: its id (the sketch is <c>/api/model/scenes/{id}/sketch</c>) and caption.</summary>
public sealed record HeldOutScene(int Id, string Caption);

/// <summary>The words the shipped model's captions are made of, by role.</summary>
public sealed record PromptVocabulary(IReadOnlyList<string> Colours, IReadOnlyList<string> Shapes, IReadOnlyList<string> Sizes, IReadOnlyList<string> Positions);
