using System.Diagnostics;
using System.Diagnostics.Metrics;
using Meg.Diffusion.Pipeline;
using Meg.Imaging;

namespace Meg.Diffusion.Batching;

/// <summary>
/// Step-level batching of an edge server's model calls. One thread owns the model: each round it runs the text
/// encodings, the VAE encodes, one denoising step and the VAE decodes that are waiting, each kind as one batched call.
/// A denoising item joins the running batch at the next step boundary and leaves when its own last step is done, so
/// jobs at different steps, with different step counts, prompts or guidance, share every UNet call.
/// A call that fails in a batch is retried alone, so only the call at fault fails; the others finish.
/// </summary>
public sealed class ModelBatcher : IModelCalls, IDisposable
{
    public const string MeterName = "Meg.Batching";

    private static readonly Meter Meter = new(MeterName);
    private static readonly Histogram<int> BatchSizes = Meter.CreateHistogram<int>("meg.batch.size", "{item}",
        "Items run together in one model call, by model part (unet, text-encoder, vae-encoder, vae-decoder).");

    private readonly object _gate = new();
    private readonly List<ModelCall<string, TextConditioning>> _texts = [];
    private readonly List<ModelCall<RgbImage, Latent>> _encodes = [];
    private readonly List<ModelCall<DecodeInput, RgbImage>> _decodes = [];
    private readonly List<ModelCall<DenoiseItem, Latent>> _joining = [];
    private readonly List<ModelCall<DenoiseItem, Latent>> _active = []; // the batcher thread's own
    private readonly Thread _thread;
    private readonly int _maxBatch;
    private readonly TimeSpan _maxWait;
    private bool _stopping;

    public ModelBatcher(DiffusionPipeline pipeline, BatchingOptions options)
    {
        Pipeline = pipeline;
        options.Validate();
        _maxBatch = options.MaxBatch;
        _maxWait = TimeSpan.FromMilliseconds(options.MaxWaitMs);
        _thread = new Thread(Loop) { IsBackground = true, Name = "meg-model-batcher" };
        _thread.Start();
    }

    public DiffusionPipeline Pipeline { get; }

    /// <summary>Raised on the batcher's thread after each model call with the part's name and the items it ran.</summary>
    public event Action<string, int>? BatchRan;

    public Task<TextConditioning> EncodeTextAsync(string prompt, CancellationToken cancellationToken = default) =>
        Enqueue(_texts, prompt, cancellationToken);

    public Task<Latent> EncodeImageAsync(RgbImage image, CancellationToken cancellationToken = default) =>
        Enqueue(_encodes, image, cancellationToken);

    public Task<Latent> DenoiseAsync(DenoiseItem item, CancellationToken cancellationToken = default) =>
        Enqueue(_joining, item, cancellationToken);

    public Task<RgbImage> DecodeAsync(Latent latent, bool robust, CancellationToken cancellationToken = default) =>
        Enqueue(_decodes, new DecodeInput(latent, robust), cancellationToken);

    private Task<TResult> Enqueue<TInput, TResult>(List<ModelCall<TInput, TResult>> queue, TInput input, CancellationToken cancellationToken)
    {
        var call = new ModelCall<TInput, TResult>(input, cancellationToken);
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_stopping, this);
            queue.Add(call);
            Monitor.PulseAll(_gate);
        }

        return call.Task;
    }

    private int Waiting => _texts.Count + _encodes.Count + _decodes.Count + _joining.Count;

    private void Loop()
    {
        while (true)
        {
            List<ModelCall<string, TextConditioning>> texts;
            List<ModelCall<RgbImage, Latent>> encodes;
            List<ModelCall<DecodeInput, RgbImage>> decodes;
            lock (_gate)
            {
                while (!_stopping && Waiting == 0 && _active.Count == 0)
                {
                    Monitor.Wait(_gate);
                }

                if (_stopping)
                {
                    break;
                }

                // An idle batcher may wait a little for a batch to fill; a running one never delays its items.
                if (_active.Count == 0 && _maxWait > TimeSpan.Zero)
                {
                    var clock = Stopwatch.StartNew();
                    while (!_stopping && Waiting < _maxBatch && clock.Elapsed < _maxWait)
                    {
                        Monitor.Wait(_gate, _maxWait - clock.Elapsed);
                    }
                }

                texts = Take(_texts, _maxBatch);
                encodes = Take(_encodes, _maxBatch);
                decodes = Take(_decodes, _maxBatch);
                _active.RemoveAll(c => c.Ended); // cancelled while waiting for a step
                _active.AddRange(Take(_joining, _maxBatch - _active.Count));
            }

            RunBatch("text-encoder", texts, Pipeline.EncodeTexts);
            RunBatch("vae-encoder", encodes, Pipeline.EncodeImages);
            Step();
            foreach (var robust in decodes.GroupBy(d => d.Input.Robust))
            {
                RunBatch("vae-decoder", robust.ToList(), inputs => Pipeline.DecodeMany(inputs.Select(i => i.Latent).ToArray(), robust.Key));
            }
        }

        var stopped = new ObjectDisposedException(nameof(ModelBatcher), "The edge server's model batcher stopped.");
        lock (_gate)
        {
            _texts.ForEach(c => c.Fail(stopped));
            _encodes.ForEach(c => c.Fail(stopped));
            _decodes.ForEach(c => c.Fail(stopped));
            _joining.ForEach(c => c.Fail(stopped));
            _active.ForEach(c => c.Fail(stopped));
        }
    }

    /// <summary>One denoising step for every active item; finished items leave with their latent.</summary>
    private void Step()
    {
        _active.RemoveAll(c => c.Ended);
        if (_active.Count == 0)
        {
            return;
        }

        var items = _active.Select(c => c.Input).ToArray();
        var before = items.Select(i => i.Step).ToArray();
        try
        {
            DenoiseStep.Run(Pipeline.Unet, items);
            Ran("unet", items.Length);
        }
        catch (Exception) when (items.Length > 1)
        {
            // Find the item at fault: each one that did not move on runs its step alone.
            for (var i = 0; i < items.Length; i++)
            {
                if (items[i].Step != before[i])
                {
                    continue;
                }

                try
                {
                    DenoiseStep.Run(Pipeline.Unet, [items[i]]);
                    Ran("unet", 1);
                }
                catch (Exception alone)
                {
                    _active[i].Fail(alone);
                }
            }
        }
        catch (Exception e)
        {
            _active[0].Fail(e);
        }

        foreach (var call in _active.Where(c => !c.Ended && c.Input.Done))
        {
            call.Complete(call.Input.Latent);
        }

        _active.RemoveAll(c => c.Ended);
    }

    private void RunBatch<TInput, TResult>(string part, List<ModelCall<TInput, TResult>> calls, Func<IReadOnlyList<TInput>, IReadOnlyList<TResult>> run)
    {
        calls.RemoveAll(c => c.Ended);
        if (calls.Count == 0)
        {
            return;
        }

        try
        {
            var results = run(calls.Select(c => c.Input).ToArray());
            Ran(part, calls.Count);
            for (var i = 0; i < calls.Count; i++)
            {
                calls[i].Complete(results[i]);
            }
        }
        catch (Exception) when (calls.Count > 1)
        {
            foreach (var call in calls)
            {
                try
                {
                    call.Complete(run([call.Input])[0]);
                    Ran(part, 1);
                }
                catch (Exception alone)
                {
                    call.Fail(alone);
                }
            }
        }
        catch (Exception e)
        {
            calls[0].Fail(e);
        }
    }

    private void Ran(string part, int items)
    {
        BatchSizes.Record(items, new KeyValuePair<string, object?>("meg.model.part", part));
        BatchRan?.Invoke(part, items);
    }

    private static List<T> Take<T>(List<T> queue, int count)
    {
        var taken = queue.Take(Math.Max(0, count)).ToList();
        queue.RemoveRange(0, taken.Count);
        return taken;
    }

    public void Dispose()
    {
        lock (_gate)
        {
            _stopping = true;
            Monitor.PulseAll(_gate);
        }

        _thread.Join();
    }

    private sealed record DecodeInput(Latent Latent, bool Robust);
}
