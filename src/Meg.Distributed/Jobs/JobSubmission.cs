using MassTransit;
using Meg.Contracts;
using Meg.Distributed.Admission;
using Meg.Distributed.Commands;
using Meg.Distributed.Nodes;
using Meg.Distributed.Storage;
using Meg.Distributed.Telemetry;
using Meg.Imaging;
using Meg.Protocols.Plans;
using Microsoft.Extensions.Options;

namespace Meg.Distributed.Jobs;

/// <summary>Edge servers the deployment runs (configuration "Meg:EdgeServers"; the AppHost sets it).</summary>
public sealed class SchedulerOptions
{
    public int EdgeServers { get; set; } = 2;
}

/// <summary>Accepts a job: validates it, stores the spec and the UE's inputs, then starts it: sends the commands that
/// wait for nothing (the workers send every later one) and publishes <see cref="JobSubmitted"/> for the state machine,
/// at once. Nothing is stored or sent when validation fails.</summary>
public sealed class JobSubmission(
    ModelHost model,
    JobAdmission admission,
    JobStore jobs,
    ClaimCheckStore claims,
    IPublishEndpoint publish,
    ISendEndpointProvider send,
    JobDeadlines deadlines,
    IOptions<SchedulerOptions> options)
{
    /// <summary>Validates, admits and starts the job: its id; or the errors by field; or the admission's refusal.</summary>
    public async Task<(Guid? Id, Dictionary<string, string[]> Errors, AdmissionDecision? Refused)> SubmitAsync(JobRequest request, CancellationToken cancellationToken = default)
    {
        var id = NewId.NextGuid();
        var validator = new JobRequestValidator(model.Dimensions, model.Name, options.Value.EdgeServers, model.Pipeline.MaxSteps);
        var (spec, sketch, errors) = validator.Validate(request, id);
        if (spec is null || sketch is null)
        {
            return (null, errors, null);
        }

        var plan = JobPlanning.Build(spec);
        var decision = await admission.AdmitAsync(id, plan, model.Dimensions);
        if (!decision.Admitted)
        {
            return (null, errors, decision);
        }

        try
        {
            await SubmitAsync(PlannedJob.Of(spec with { EdgeInstances = decision.EdgeInstances }, plan: plan), sketch, cancellationToken);
        }
        catch
        {
            // Not started: its place goes back.
            await admission.ReleaseAsync(id);
            throw;
        }

        return (id, errors, null);
    }

    public Task SubmitAsync(JobSpec spec, RgbImage sketch, CancellationToken cancellationToken = default) =>
        SubmitAsync(PlannedJob.Of(spec), sketch, cancellationToken);

    private async Task SubmitAsync(PlannedJob job, RgbImage sketch, CancellationToken cancellationToken)
    {
        var spec = job.Spec;
        // Independent writes, pipelined; all of them land before the job is announced.
        using (MegTracing.Start("store job", MegTracing.Parts.Storage, spec.Id))
        {
            await Task.WhenAll(
                jobs.SaveSpecAsync(job),
                claims.PutAsync(spec.Id, NodeId.UserEquipment, Artifact.Prompt, spec.Prompt),
                claims.PutAsync(spec.Id, NodeId.UserEquipment, Artifact.InputImage, sketch),
                jobs.SaveStatusAsync(JobStatus.Of(spec, job.Plan)),
                deadlines.AddAsync(spec),
                jobs.CountAcceptedAsync());
        }

        // The first commands go out here rather than from the state machine: one broker hop less before the job's
        // first step. The state machine copes with hearing of the job's end or failure before it hears of the job.
        await Task.WhenAll(
            CommandDispatch.SendAllAsync(send, job, job.Schedule.Sources),
            publish.Publish(new JobSubmitted(spec.Id), cancellationToken));
    }
}
