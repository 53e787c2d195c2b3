using Meg.Diffusion.Batching;
using Meg.Diffusion.Models;
using Meg.Diffusion.Pipeline;
using Meg.Execution;
using Meg.Protocols;
using Meg.Protocols.Plans;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Meg.Distributed.Nodes;

/// <summary>One loaded model per process (long-lived ONNX sessions) and the shared <see cref="StageRunner"/> over it. An edge
/// server's stages may go through a <see cref="ModelBatcher"/> (Meg:Batching) that runs many jobs' model calls together;
/// a user's device always runs its own at once.</summary>
public sealed class ModelHost : IDisposable
{
    private readonly Lazy<DiffusionPipeline> _pipeline;
    private readonly Lazy<StageRunner> _runner;
    private readonly Lazy<ModelBatcher>? _batcher;
    private readonly Lazy<StageRunner>? _batchedRunner;

    public ModelHost(IOptions<ModelOptions> options, ILogger<ModelHost> logger) : this(options, Options.Create(new BatchingOptions()), logger)
    {
    }

    public ModelHost(IOptions<ModelOptions> options, IOptions<BatchingOptions> batching, ILogger<ModelHost> logger)
    {
        var o = options.Value;
        Folder = Resolve(Environment.GetEnvironmentVariable("MEG_MODEL") is { Length: > 0 } fromEnv ? fromEnv : o.Model);
        Name = Path.GetFileName(Folder.TrimEnd(Path.DirectorySeparatorChar));
        _pipeline = new(() =>
        {
            logger.LogInformation("Loading model {Folder} with provider {Provider}", Folder, o.Provider);
            return DiffusionPipeline.Load(Folder, o.Execution, logger);
        });
        _runner = new(() => new StageRunner(_pipeline.Value));
        Batching = batching.Value.Validate();
        if (Batching.Enabled)
        {
            _batcher = new(() => new ModelBatcher(_pipeline.Value, Batching));
            _batchedRunner = new(() => new StageRunner(_batcher.Value));
        }
    }

    public BatchingOptions Batching { get; }

    public string Folder { get; }

    /// <summary>The model's name (its folder name), used in cache keys.</summary>
    public string Name { get; }

    public DiffusionPipeline Pipeline => _pipeline.Value;

    public bool IsLoaded => _pipeline.IsValueCreated;

    /// <summary>The runner whose model calls run at once, alone.</summary>
    public StageRunner Runner => _runner.Value;

    /// <summary>The runner for <paramref name="node"/>'s stages: batched with other jobs' on an edge server when batching is on.</summary>
    public StageRunner RunnerFor(NodeId node) => !node.IsUserEquipment && _batchedRunner is not null ? _batchedRunner.Value : Runner;

    /// <summary>The edge server's batcher, when batching is on.</summary>
    public ModelBatcher? Batcher => _batcher?.Value;

    public ModelDimensions Dimensions => PipelineDimensions.Of(Pipeline, Name);

    public void Dispose()
    {
        if (_batcher is { IsValueCreated: true })
        {
            _batcher.Value.Dispose();
        }

        if (_pipeline.IsValueCreated)
        {
            _pipeline.Value.Dispose();
        }
    }

    private static string Resolve(string path)
    {
        if (Path.IsPathRooted(path) || Directory.Exists(path))
        {
            return Path.GetFullPath(path);
        }

        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, path);
            if (Directory.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new DirectoryNotFoundException($"Model folder '{path}' was not found from {Environment.CurrentDirectory} or above {AppContext.BaseDirectory}; set Meg:Model or MEG_MODEL.");
    }
}
