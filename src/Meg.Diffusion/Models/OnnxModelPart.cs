using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace Meg.Diffusion.Models;

/// <summary>
/// One ONNX model part with one long-lived session. Inputs are converted to whatever element type the
/// session's metadata declares (float32 or float16 for tensors; int32 or int64 for token ids and
/// timesteps), so fp16 exports and int/float timestep variants all load.
/// </summary>
public abstract class OnnxModelPart : IDisposable
{
    private readonly InferenceSession _session;

    protected OnnxModelPart(InferenceSession session)
    {
        _session = session;
    }

    public IReadOnlyDictionary<string, NodeMetadata> InputMetadata => _session.InputMetadata;

    public IReadOnlyDictionary<string, NodeMetadata> OutputMetadata => _session.OutputMetadata;

    /// <summary>The session itself, for benchmarks that compare against a bare Run.</summary>
    public InferenceSession Session => _session;

    protected string RequireInput(params string[] candidates) =>
        candidates.FirstOrDefault(_session.InputMetadata.ContainsKey)
        ?? throw new InvalidDataException($"{GetType().Name}: the model has none of the inputs {string.Join(", ", candidates)} (it has {string.Join(", ", _session.InputMetadata.Keys)}).");

    protected string RequireOutput(params string[] candidates) =>
        candidates.FirstOrDefault(_session.OutputMetadata.ContainsKey)
        ?? (candidates.Length > 0 && _session.OutputMetadata.Count == 1 ? _session.OutputMetadata.Keys.First() : null)
        ?? throw new InvalidDataException($"{GetType().Name}: the model has none of the outputs {string.Join(", ", candidates)} (it has {string.Join(", ", _session.OutputMetadata.Keys)}).");

    /// <summary>Fixed size of a dimension of an input, or -1 when it is dynamic.</summary>
    protected int InputDimension(string input, int axis)
    {
        var dims = _session.InputMetadata[input].Dimensions;
        return axis < dims.Length ? dims[axis] : -1;
    }

    protected OrtValue FloatInput(string name, float[] data, long[] shape) =>
        _session.InputMetadata[name].ElementDataType switch
        {
            TensorElementType.Float => OrtValue.CreateTensorValueFromMemory(data, shape),
            TensorElementType.Float16 => OrtValue.CreateTensorValueFromMemory(data.Select(v => (Float16)v).ToArray(), shape),
            var other => throw new InvalidDataException($"{GetType().Name}: input '{name}' has element type {other}; float32 or float16 is supported."),
        };

    protected OrtValue IntegerInput(string name, long[] data, long[] shape) =>
        _session.InputMetadata[name].ElementDataType switch
        {
            TensorElementType.Int64 => OrtValue.CreateTensorValueFromMemory(data, shape),
            TensorElementType.Int32 => OrtValue.CreateTensorValueFromMemory(data.Select(v => checked((int)v)).ToArray(), shape),
            TensorElementType.Float => OrtValue.CreateTensorValueFromMemory(data.Select(v => (float)v).ToArray(), shape),
            TensorElementType.Float16 => OrtValue.CreateTensorValueFromMemory(data.Select(v => (Float16)(float)v).ToArray(), shape),
            var other => throw new InvalidDataException($"{GetType().Name}: input '{name}' has element type {other}; int64, int32, float32 or float16 is supported."),
        };

    /// <summary>Runs the session and returns each requested output as float32 with its shape.</summary>
    protected IReadOnlyList<(float[] Data, long[] Shape)> Run(IReadOnlyList<(string Name, OrtValue Value)> inputs, params string[] outputs)
    {
        try
        {
            using var runOptions = new RunOptions();
            using var results = _session.Run(runOptions, inputs.Select(i => i.Name).ToArray(), inputs.Select(i => i.Value).ToArray(), outputs);
            return results.Select(ToFloat).ToArray();
        }
        finally
        {
            foreach (var (_, value) in inputs)
            {
                value.Dispose();
            }
        }
    }

    private static (float[] Data, long[] Shape) ToFloat(OrtValue value)
    {
        var info = value.GetTensorTypeAndShape();
        var data = info.ElementDataType switch
        {
            TensorElementType.Float => value.GetTensorDataAsSpan<float>().ToArray(),
            TensorElementType.Float16 => value.GetTensorDataAsSpan<Float16>().ToArray().Select(h => (float)h).ToArray(),
            var other => throw new InvalidDataException($"Output element type {other} is not supported; float32 or float16 is."),
        };
        return (data, info.Shape);
    }

    public void Dispose()
    {
        _session.Dispose();
        GC.SuppressFinalize(this);
    }
}
