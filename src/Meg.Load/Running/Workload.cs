using Meg.Experiments;
using Meg.Imaging;

namespace Meg.Load.Running;

/// <summary>What each request asks for: a held-out scene's caption and sketch, with the run's steps and channel. The
/// sketches are encoded once, before the run, so the generator spends its time sending.</summary>
public sealed class Workload
{
    private readonly (string Prompt, string Sketch)[] _items;
    private readonly LoadOptions _options;

    public Workload(LoadOptions options)
    {
        _options = options;
        var set = EvaluationSet.Load(options.EvaluationFolder);
        _items = set.Items.Select(i => (i.Caption, Convert.ToBase64String(PngCodec.Encode(i.LoadSketch())))).ToArray();
    }

    public int Items => _items.Length;

    /// <summary>The request body for <paramref name="protocol"/> on item <paramref name="item"/>; each request its own
    /// random seed (from the run's and the request's number), so runs repeat exactly.</summary>
    public object Request(string protocol, int item, int number) => new Dictionary<string, object>
    {
        ["prompt"] = _items[item].Prompt,
        ["sketch"] = _items[item].Sketch,
        ["protocol"] = protocol,
        ["channel"] = _options.Channel,
        ["snrDb"] = _options.SnrDb,
        ["steps"] = _options.Steps,
        ["randomSeed"] = _options.RandomSeed + (ulong)number,
    };
}
