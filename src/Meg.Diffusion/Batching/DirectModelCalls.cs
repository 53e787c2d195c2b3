using Meg.Diffusion.Pipeline;
using Meg.Imaging;

namespace Meg.Diffusion.Batching;

/// <summary>Each model call runs at once, alone, on the caller's thread; the tasks are complete when returned.</summary>
public sealed class DirectModelCalls(DiffusionPipeline pipeline) : IModelCalls
{
    public DiffusionPipeline Pipeline { get; } = pipeline;

    public Task<TextConditioning> EncodeTextAsync(string prompt, CancellationToken cancellationToken = default) =>
        Task.FromResult(Pipeline.EncodeText(prompt));

    public Task<Latent> EncodeImageAsync(RgbImage image, CancellationToken cancellationToken = default) =>
        Task.FromResult(Pipeline.EncodeImage(image));

    public Task<Latent> DenoiseAsync(DenoiseItem item, CancellationToken cancellationToken = default)
    {
        Pipeline.DenoiseToEnd([item]);
        return Task.FromResult(item.Latent);
    }

    public Task<RgbImage> DecodeAsync(Latent latent, bool robust, CancellationToken cancellationToken = default) =>
        Task.FromResult(Pipeline.Decode(latent, robust));
}
