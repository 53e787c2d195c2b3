using Meg.Diffusion.Pipeline;
using Meg.Imaging;

namespace Meg.Diffusion.Batching;

/// <summary>
/// The model calls a plan's stages make. <see cref="DirectModelCalls"/> runs each at once on the caller's thread (a user's
/// device, the in-process engine); <see cref="ModelBatcher"/> runs the calls of many jobs together (an edge server).
/// </summary>
public interface IModelCalls
{
    DiffusionPipeline Pipeline { get; }

    Task<TextConditioning> EncodeTextAsync(string prompt, CancellationToken cancellationToken = default);

    Task<Latent> EncodeImageAsync(RgbImage image, CancellationToken cancellationToken = default);

    /// <summary>Runs the item's steps; the task ends with its latent at <see cref="DenoiseItem.ToStep"/>.</summary>
    Task<Latent> DenoiseAsync(DenoiseItem item, CancellationToken cancellationToken = default);

    Task<RgbImage> DecodeAsync(Latent latent, bool robust, CancellationToken cancellationToken = default);
}
