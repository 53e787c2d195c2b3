namespace Meg.Distributed.Admission;

/// <summary>Whether a job was let in: the instances that play its ES roles, or why not and when to try again.</summary>
public sealed record AdmissionDecision(IReadOnlyList<int>? EdgeInstances, TimeSpan RetryAfter, string? Reason)
{
    public bool Admitted => Reason is null;

    public static AdmissionDecision Admit(IReadOnlyList<int> instances) => new(instances, TimeSpan.Zero, null);

    public static AdmissionDecision Refuse(TimeSpan retryAfter, string reason) => new(null, retryAfter, reason);
}
