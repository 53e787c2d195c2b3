using System.Security.Cryptography;
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
    IBlobStore store,
    IOptions<SchedulerOptions> options)
{
    /// <summary>Validates, admits and starts the job for <paramref name="client"/>. With an idempotency key (from
    /// <paramref name="idempotency"/>, with the body's hash), a repeat of an accepted request answers with the same job and
    /// the same key with another body is refused; a request that is not accepted leaves the key free.</summary>
    public async Task<SubmissionResult> SubmitAsync(JobRequest request, string? client = null, IdempotentRequest? idempotency = null,
        CancellationToken cancellationToken = default)
    {
        // 128 random bits from the CSPRNG: an id tells nothing about when or where the job was made, so it cannot be guessed.
        var id = new Guid(RandomNumberGenerator.GetBytes(16));
        var validator = new JobRequestValidator(model.Dimensions, model.Name, options.Value.EdgeServers, model.Pipeline.MaxSteps);
        var (spec, sketch, errors) = validator.Validate(request, id);
        if (spec is null || sketch is null)
        {
            return SubmissionResult.Invalid(errors);
        }

        if (idempotency is not null && await idempotency.ClaimAsync(store, client, id) is { } earlier)
        {
            return earlier;
        }

        var plan = JobPlanning.Build(spec);
        var decision = await admission.AdmitAsync(id, plan, model.Dimensions);
        if (!decision.Admitted)
        {
            await (idempotency?.ReleaseAsync(store, client) ?? Task.CompletedTask);
            return SubmissionResult.Refuse(decision);
        }

        try
        {
            await SubmitAsync(PlannedJob.Of(spec with { EdgeInstances = decision.EdgeInstances, Client = client }, plan: plan), sketch, cancellationToken);
        }
        catch
        {
            // Not started: its place goes back, and so does its idempotency key.
            await admission.ReleaseAsync(id);
            await (idempotency?.ReleaseAsync(store, client) ?? Task.CompletedTask);
            throw;
        }

        return SubmissionResult.Accept(id);
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
