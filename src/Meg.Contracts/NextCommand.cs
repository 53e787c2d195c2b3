namespace Meg.Contracts;

/// <summary>
/// A command a worker sends on itself when its own command succeeds, before it reports: the next link of a chain
/// of commands that wait for nothing else (EIUG's uplink, then the edge server's stages, then the downlink, then
/// the UE's decoding). The scheduler still records every step and is the only one that decides: it puts a command
/// in a chain only when that command waits for nothing but the chain, and marks it sent. Exactly one of
/// <paramref name="Stage"/> and <paramref name="Transfer"/> is set.
/// </summary>
public sealed record NextCommand(RunStage? Stage = null, CarryTransfer? Transfer = null);
