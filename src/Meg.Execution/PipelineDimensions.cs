using Meg.Diffusion.Pipeline;
using Meg.Protocols;

namespace Meg.Execution;

/// <summary>The plan-costing view of a loaded model.</summary>
public static class PipelineDimensions
{
    public static ModelDimensions Of(DiffusionPipeline pipeline, string? name = null) => new(
        name ?? Path.GetFileName(pipeline.Folder.Root),
        pipeline.ImageWidth,
        pipeline.ImageHeight,
        pipeline.VaeFactor,
        pipeline.LatentChannels,
        pipeline.Tokenizer.MaxLength,
        0,
        pipeline.SketchConditioned);
}
