namespace Meg.Protocols.Plans;

/// <summary>Where a stage runs: the user device (UE) or one of the edge servers (ES1..ESK).</summary>
public readonly record struct NodeId
{
    private NodeId(bool isUser, int edgeIndex)
    {
        IsUserEquipment = isUser;
        EdgeIndex = edgeIndex;
    }

    /// <summary>The user device.</summary>
    public static NodeId UserEquipment { get; } = new(true, 0);

    /// <summary>Edge server number <paramref name="index"/>, counted from 1 as in the paper (ES1, ES2, ...).</summary>
    public static NodeId EdgeServer(int index)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(index, 1);
        return new NodeId(false, index);
    }

    public bool IsUserEquipment { get; }

    /// <summary>1-based edge server number; 0 for the user device.</summary>
    public int EdgeIndex { get; }

    public override string ToString() => IsUserEquipment ? "UE" : $"ES{EdgeIndex}";

    /// <summary>Parses "UE" or "ES&lt;n&gt;" (case-insensitive).</summary>
    public static NodeId Parse(string text)
    {
        var t = text.Trim().ToUpperInvariant();
        if (t == "UE")
        {
            return UserEquipment;
        }

        if (t.StartsWith("ES", StringComparison.Ordinal) && int.TryParse(t.AsSpan(2), out var n) && n >= 1)
        {
            return EdgeServer(n);
        }

        throw new FormatException($"Node '{text}' is not valid: use UE or ES1, ES2, ...");
    }
}
