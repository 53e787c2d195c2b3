namespace Meg.Protocols.Plans;

/// <summary>The wireless or wired hop a transfer crosses.</summary>
public enum LinkKind
{
    /// <summary>User device to edge server.</summary>
    Uplink,

    /// <summary>Edge server to user device.</summary>
    Downlink,

    /// <summary>Edge server to edge server.</summary>
    Backhaul,
}

public static class LinkKinds
{
    /// <summary>The link between two nodes; transfers from a node to itself are not allowed.</summary>
    public static LinkKind Between(NodeId from, NodeId to)
    {
        if (from == to)
        {
            throw new ArgumentException($"A transfer needs two different nodes, got {from} to {to}.");
        }

        if (from.IsUserEquipment)
        {
            return LinkKind.Uplink;
        }

        return to.IsUserEquipment ? LinkKind.Downlink : LinkKind.Backhaul;
    }

    public static string ShortName(this LinkKind link) => link switch
    {
        LinkKind.Uplink => "UL",
        LinkKind.Downlink => "DL",
        _ => "BH",
    };
}
