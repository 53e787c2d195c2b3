namespace Meg.Contracts;

/// <summary>One step of a command: how long it worked, whether the text-embedding cache served it, when it finished
/// (UTC; the command's last step: when every output of the command was stored, the earlier steps' outputs being stored
/// while the later ones run), and for a transfer what the crossing cost. <see cref="ComputeMs"/> is the part of the
/// service time spent in the model (a stage) or in the channel (a transfer); the rest is loading and storing.
/// <see cref="StartedAt"/> (UTC) is set for a step that started beside the one before it (stages run at once); null: it
/// started when the step before it finished.</summary>
public sealed record StepRun(double ServiceMs, bool CacheHit, DateTime FinishedAt, TransferMeasurement? Transfer = null, double ComputeMs = 0,
    DateTime? StartedAt = null);
