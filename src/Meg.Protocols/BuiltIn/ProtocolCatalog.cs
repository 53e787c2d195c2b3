using Meg.Protocols.Plans;

namespace Meg.Protocols.BuiltIn;

/// <summary>Every built-in protocol, looked up by name (case-insensitive).</summary>
public static class ProtocolCatalog
{
    public static IReadOnlyList<ProtocolDefinition> All { get; } =
    [
        new Centralized(), new Uieg(), new Eiug(), new Ciag(), new Esuc(),
        new Uidg(), new Diug(), new Dsuc(), new Uidcg(), new Dcsuc(),
    ];

    /// <summary>The protocols of the paper's single-ES case study.</summary>
    public static IReadOnlyList<string> CaseStudy { get; } = ["Centralized", "UIEG", "EIUG", "CIAG", "ESUC"];

    public static IReadOnlyList<string> Names { get; } = All.Select(p => p.Name).ToArray();

    public static ProtocolDefinition Get(string name) =>
        All.FirstOrDefault(p => string.Equals(p.Name, name.Trim(), StringComparison.OrdinalIgnoreCase))
        ?? throw new ArgumentException($"Unknown protocol '{name}'. Known protocols: {string.Join(", ", Names)}.", nameof(name));

    public static ProtocolPlan Build(string name, PlanParameters parameters) => Get(name).Build(parameters.Validate());
}
