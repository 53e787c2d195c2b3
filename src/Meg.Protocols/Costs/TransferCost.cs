using Meg.Protocols.Plans;

namespace Meg.Protocols.Costs;

/// <summary>One transfer of a plan and what it puts on the air.</summary>
public sealed record TransferCost(Transfer Transfer, PayloadLoad Load);
