using System.Globalization;

namespace Meg.Load.Arrivals;

/// <summary>Which protocols a run sends and how often: each with a weight (shares need not add up to 1).</summary>
public sealed class ProtocolMix
{
    private readonly (string Protocol, double Cumulative)[] _cumulative;

    public ProtocolMix(IReadOnlyList<(string Protocol, double Weight)> weights)
    {
        if (weights.Count == 0 || weights.Any(w => !double.IsFinite(w.Weight) || w.Weight <= 0))
        {
            throw new ArgumentException("A protocol mix needs at least one protocol, each with a positive weight.", nameof(weights));
        }

        Weights = weights;
        var total = weights.Sum(w => w.Weight);
        var running = 0.0;
        _cumulative = weights.Select(w => (w.Protocol, running += w.Weight / total)).ToArray();
    }

    public IReadOnlyList<(string Protocol, double Weight)> Weights { get; }

    public IEnumerable<string> Protocols => Weights.Select(w => w.Protocol);

    /// <summary>The protocol a uniform draw <paramref name="u"/> in [0, 1) falls on.</summary>
    public string Draw(double u) => _cumulative.FirstOrDefault(c => u < c.Cumulative).Protocol ?? _cumulative[^1].Protocol;

    /// <summary>One protocol alone.</summary>
    public static ProtocolMix Only(string protocol) => new([(protocol, 1)]);

    /// <summary>Parses "CIAG" or "Centralized:3,CIAG:1".</summary>
    public static ProtocolMix Parse(string text) => new(text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(part =>
    {
        var pieces = part.Split(':');
        var weight = 1.0;
        if (pieces.Length > 2 || (pieces.Length == 2 && !double.TryParse(pieces[1], NumberStyles.Float, CultureInfo.InvariantCulture, out weight)))
        {
            throw new ArgumentException($"A mix entry is a protocol with an optional weight, like CIAG or CIAG:2; got '{part}'.", nameof(text));
        }

        return (pieces[0], weight);
    }).ToList());

    public override string ToString() => string.Join(",", Weights.Select(w => Weights.Count == 1 ? w.Protocol : string.Create(CultureInfo.InvariantCulture, $"{w.Protocol}:{w.Weight:0.###}")));
}
