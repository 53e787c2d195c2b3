using Meg.Distributed.Admission;

namespace Meg.Distributed.Jobs;

/// <summary>What became of a submission: accepted (or, for a repeated idempotent request, the job accepted before),
/// invalid (errors by field), refused by admission, or an idempotency key reused with another body.</summary>
public sealed record SubmissionResult(Guid? Id, Dictionary<string, string[]> Errors, AdmissionDecision? Refused, bool Replayed, string? KeyConflict)
{
    public static SubmissionResult Accept(Guid id) => new(id, [], null, false, null);

    public static SubmissionResult Replay(Guid id) => new(id, [], null, true, null);

    public static SubmissionResult Invalid(Dictionary<string, string[]> errors) => new(null, errors, null, false, null);

    public static SubmissionResult Refuse(AdmissionDecision decision) => new(null, [], decision, false, null);

    public static SubmissionResult Conflict(string reason) => new(null, [], null, false, reason);
}
