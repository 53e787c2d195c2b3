namespace Meg.Contracts;

/// <summary>One stage of a multi-stage <see cref="RunStage"/> command: how long it worked, whether the text
/// embedding cache served it, and when it finished (UTC).</summary>
public sealed record StageRun(double ServiceMs, bool CacheHit, DateTime FinishedAt);
