using System.Text.Json;
using Meg.Execution.Scheduling;
using Meg.Protocols.Plans;

namespace Meg.Distributed.Jobs;

/// <summary>A job with its plan and the plan's commands: all three follow from the spec, so each process builds them
/// once per job (<see cref="JobStore.RequireJobAsync"/>) rather than on every message. <see cref="SpecJson"/> is the spec
/// as stored, which every command carries.</summary>
public sealed record PlannedJob(JobSpec Spec, ProtocolPlan Plan, PlanSchedule Schedule, string SpecJson)
{
    /// <summary>Plans <paramref name="spec"/>; <paramref name="plan"/> when the caller built it already from a spec that
    /// differs at most in its placement (the plan does not depend on which instances play the roles).</summary>
    public static PlannedJob Of(JobSpec spec, string? json = null, ProtocolPlan? plan = null)
    {
        plan ??= JobPlanning.Build(spec);
        return new PlannedJob(spec, plan, PlanSchedule.Of(plan), json ?? JsonSerializer.Serialize(spec, MegJson.Options));
    }
}
