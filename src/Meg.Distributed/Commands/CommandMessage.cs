using Meg.Contracts;

namespace Meg.Distributed.Commands;

/// <summary>A command as it goes on the wire: exactly one of <paramref name="Stage"/> (to a node's queue) and
/// <paramref name="Transfer"/> (to the channel emulator) is set.</summary>
public sealed record CommandMessage(RunStage? Stage = null, CarryTransfer? Transfer = null);
