using Meg.Diffusion.Pipeline;
using Meg.Distributed.Jobs;
using Meg.Distributed.Nodes;
using Meg.Distributed.Storage;
using Meg.Imaging;
using Meg.Protocols.Plans;
using Meg.Scheduler.Access;

namespace Meg.Scheduler.Apis;

/// <summary>
/// <c>GET /api/jobs/{id}/received</c>: what a node received over the air, as PNG: by default the UE's last payload (the
/// noisy image Centralized sends down, the noisy seed of a seed protocol decoded by the VAE, the received sketch of a
/// sketch protocol), or with <c>?step=i</c> the payload transfer step i delivered (the job's event stream links them as
/// previews). Only the job's owner (and the administrator) gets it; anyone else gets 404, as for an unknown job.
/// </summary>
public static class ReceivedApi
{
    /// <summary>Response header: "image", "sketch" or "seed" (a latent, decoded to show it).</summary>
    public const string KindHeader = "Meg-Received-Kind";

    /// <summary>Response header: the transfer step that delivered it, and its description.</summary>
    public const string StepHeader = "Meg-Received-Step";

    public const string DescriptionHeader = "Meg-Received-Description";

    public static IEndpointRouteBuilder MapReceivedApi(this IEndpointRouteBuilder app)
    {
        app.MapGroup("/api/jobs").WithTags("Jobs").RequireAuthorization()
            .MapGet("/{id:guid}/received", GetAsync)
            .Produces(StatusCodes.Status200OK, contentType: "image/png")
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .WithSummary("What the UE received over the air, as PNG (a seed decoded by the VAE)")
            .WithDescription($"Default: the UE's last received image, sketch or seed for image ?share=i; ?step=i: what transfer step i delivered. Headers {KindHeader} (image, sketch or seed), {StepHeader}, {DescriptionHeader}. " +
                             "409 while that step has not finished; 404 for an unknown job, another client's, or a protocol that sends the UE nothing to look at.");
        return app;
    }

    public static async Task<IResult> GetAsync(Guid id, HttpContext http, JobStore jobs, ClaimCheckStore claims, ModelHost model, int share = 0, int? step = null)
    {
        if (await jobs.GetStatusAsync(id) is not { } status || !ApiKeyAuthentication.ClientOf(http).MaySee(status.Client))
        {
            return TypedResults.NotFound();
        }

        var job = await jobs.RequireJobAsync(id);
        var plan = job.Plan;
        if (share < 0 || share >= Math.Max(1, status.Images))
        {
            return Invalid("share", $"share must be from 0 to {Math.Max(1, status.Images) - 1}; got {share}.");
        }

        var index = step ?? ReceivedPayloads.LastToUserEquipment(plan, share);
        if (index is null)
        {
            return TypedResults.Problem($"{plan.Name} sends the UE no image, sketch or seed.", statusCode: StatusCodes.Status404NotFound, title: "Nothing to show");
        }

        if (index < 0 || index >= plan.Steps.Count || plan.Steps[index.Value] is not Transfer transfer || ReceivedPayloads.ViewableOf(transfer, step is null ? share : null) is not { } artifact)
        {
            var transfers = plan.Steps.Select((s, i) => (s, i)).Where(p => p.s is Transfer t && ReceivedPayloads.ViewableOf(t) is not null).Select(p => p.i);
            return Invalid("step", $"step must be a transfer step of {plan.Name} that carries an image, sketch or seed: one of {string.Join(", ", transfers)}; got {step}.");
        }

        if (!status.Steps.Any(s => s.Index == index))
        {
            return TypedResults.Problem(status.State == JobStates.Failed ? $"Job {id} failed before step {index}: {status.Error}" : $"Step {index} of job {id} has not finished yet.",
                statusCode: StatusCodes.Status409Conflict, title: "Not received yet");
        }

        var received = await claims.TryGetAsync<object>(id, transfer.To, artifact);
        var image = received switch
        {
            RgbImage rgb => rgb,
            // A seed is shown as the UE's decoder would see it, noise and all.
            Latent latent => model.Pipeline.Decode(latent, job.Spec.RobustDecoder && model.Pipeline.HasRobustDecoder),
            _ => null,
        };
        if (image is null)
        {
            return TypedResults.Problem($"Job {id}'s payload of step {index} has expired from the store.", statusCode: StatusCodes.Status404NotFound, title: "Expired");
        }

        http.Response.Headers[KindHeader] = ReceivedPayloads.KindName(artifact);
        http.Response.Headers[StepHeader] = index.Value.ToString(System.Globalization.CultureInfo.InvariantCulture);
        http.Response.Headers[DescriptionHeader] = transfer.Describe();
        return TypedResults.File(PngCodec.EncodeFast(image), "image/png", $"{id:N}-received-{index}.png");
    }

    private static IResult Invalid(string field, string message) =>
        TypedResults.ValidationProblem(new Dictionary<string, string[]> { [field] = [message] }, detail: $"The request's {field} is not valid; see errors by field.");
}
