using Meg.Diffusion.Batching;
using Meg.Diffusion.Pipeline;
using Meg.Imaging;

namespace Meg.Execution.Tests;

/// <summary>Model calls made at once, counting the denoising steps they run: shows which work a run did itself.</summary>
internal sealed class CountingModelCalls(DiffusionPipeline pipeline) : IModelCalls
{
    private readonly DirectModelCalls _calls = new(pipeline);
    private int _denoiseSteps;

    public DiffusionPipeline Pipeline => _calls.Pipeline;

    public int DenoiseSteps => _denoiseSteps;

    public Task<TextConditioning> EncodeTextAsync(string prompt, CancellationToken cancellationToken = default) =>
        _calls.EncodeTextAsync(prompt, cancellationToken);

    public Task<Latent> EncodeImageAsync(RgbImage image, CancellationToken cancellationToken = default) =>
        _calls.EncodeImageAsync(image, cancellationToken);

    public Task<Latent> DenoiseAsync(DenoiseItem item, CancellationToken cancellationToken = default)
    {
        Interlocked.Add(ref _denoiseSteps, item.ToStep - item.Step);
        return _calls.DenoiseAsync(item, cancellationToken);
    }

    public Task<RgbImage> DecodeAsync(Latent latent, bool robust, CancellationToken cancellationToken = default) =>
        _calls.DecodeAsync(latent, robust, cancellationToken);
}
