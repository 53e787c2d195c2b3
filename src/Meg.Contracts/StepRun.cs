namespace Meg.Contracts;

/// <summary>One step of a command that carries several (stages on one node, or transfers over one link): how long
/// it worked, whether the text-embedding cache served it, when it finished (UTC), and for a transfer what the
/// crossing cost.</summary>
public sealed record StepRun(double ServiceMs, bool CacheHit, DateTime FinishedAt, TransferAccounting? Transfer = null);
