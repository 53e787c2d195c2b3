using System.Collections.Concurrent;
using Meg.Diffusion.Batching;
using Meg.Diffusion.Pipeline;
using Meg.Imaging;

namespace Meg.Diffusion.Tests;

/// <summary>
/// Step-level batching gives each job exactly the image it gets alone, whoever it shares a UNet call with, however many
/// steps it has and whenever it joins; a job that fails in a batch fails alone.
/// </summary>
public sealed class ModelBatcherTests : IDisposable
{
    private readonly DiffusionPipeline _pipeline = DiffusionPipeline.Load(RepositoryLayout.TestFixture("fp32-sketch-conditioned"));
    private readonly ConcurrentQueue<(string Part, int Items)> _ran = new();

    private static RgbImage Sketch(int size, int radius) =>
        RgbImage.Create(size, size, (x, y) => (x - size / 2) * (x - size / 2) + (y - size / 2) * (y - size / 2) < radius * radius ? new Rgb(0, 0, 0) : new Rgb(255, 255, 255));

    private sealed record Job(string Prompt, GenerationSettings Settings, int Radius);

    private static readonly Job[] Jobs =
    [
        new("a red circle", new GenerationSettings { Steps = 6, Guidance = 3, RandomSeed = 1 }, 8),
        new("a blue square on a green background", new GenerationSettings { Steps = 9, Guidance = 5, RandomSeed = 2 }, 5),
        new("a yellow star", new GenerationSettings { Steps = 4, Guidance = 1, RandomSeed = 3 }, 11),
    ];

    private DenoiseItem Item(Job job, IProgress<int>? progress = null)
    {
        var condition = _pipeline.EncodeImage(Sketch(_pipeline.ImageWidth, job.Radius));
        var start = _pipeline.InitialLatent(job.Settings, condition);
        return _pipeline.NewDenoiseItem(start, 0, job.Settings.Steps, _pipeline.EncodeText(job.Prompt), condition, job.Settings, progress: progress);
    }

    private Latent Alone(Job job)
    {
        var item = Item(job);
        _pipeline.DenoiseToEnd([item]);
        return item.Latent;
    }

    private ModelBatcher Batcher(int maxBatch = 8, double maxWaitMs = 0)
    {
        var batcher = new ModelBatcher(_pipeline, new BatchingOptions { MaxBatch = maxBatch, MaxWaitMs = maxWaitMs });
        batcher.BatchRan += (part, items) => _ran.Enqueue((part, items));
        return batcher;
    }

    [Fact]
    public void The_fixture_takes_a_timestep_per_sample() => Assert.True(_pipeline.Unet.PerSampleTimesteps);

    [Fact]
    public async Task Jobs_batched_together_get_bit_for_bit_the_latents_they_get_alone()
    {
        using var batcher = Batcher(maxWaitMs: 2000); // the three arrive before the first step
        var items = Jobs.Select(j => Item(j)).ToArray();

        var batched = await Task.WhenAll(items.Select(i => batcher.DenoiseAsync(i)));

        for (var j = 0; j < Jobs.Length; j++)
        {
            Assert.True(Alone(Jobs[j]).BitEquals(batched[j]), $"Job {j} ({Jobs[j].Prompt}) differs from its run alone.");
        }

        // Three at once for the shortest job's 4 steps, then two, then the longest alone: 9 calls in all, not 19.
        var unet = _ran.Where(r => r.Part == "unet").Select(r => r.Items).ToArray();
        Assert.Equal([3, 3, 3, 3, 2, 2, 1, 1, 1], unet);
    }

    [Fact]
    public async Task A_job_joining_mid_stage_finishes_with_its_own_steps_and_changes_no_one()
    {
        using var batcher = Batcher();
        var joined = new TaskCompletionSource<Task<Latent>>(TaskCreationOptions.RunContinuationsAsynchronously);
        var first = Item(Jobs[1], new Progress(step =>
        {
            if (step == 3)
            {
                joined.TrySetResult(batcher.DenoiseAsync(Item(Jobs[0]))); // joins after the first job's third step
            }
        }));

        var long_ = await batcher.DenoiseAsync(first);
        var late = await await joined.Task;

        Assert.True(Alone(Jobs[1]).BitEquals(long_));
        Assert.True(Alone(Jobs[0]).BitEquals(late));
        var unet = _ran.Where(r => r.Part == "unet").Select(r => r.Items).ToArray();
        Assert.Equal(9 + 6, unet.Sum()); // each job ran its own steps: 9 and 6
        Assert.Contains(2, unet);
        Assert.Equal(1, unet[0]);
    }

    [Fact]
    public async Task A_job_that_fails_in_a_batch_fails_alone_and_the_others_finish()
    {
        using var batcher = Batcher(maxWaitMs: 2000);
        var good = Item(Jobs[0]);
        var text = _pipeline.EncodeText("a red circle");
        // Text states of the wrong width: the UNet cannot take them, in a batch or alone.
        var broken = _pipeline.NewDenoiseItem(good.Latent, 0, 6, text with { Prompt = new float[text.Length * 7], Empty = new float[text.Length * 7], Width = 7 },
            null, Jobs[0].Settings);
        var other = Item(Jobs[1]);

        var results = new[] { batcher.DenoiseAsync(good), batcher.DenoiseAsync(broken), batcher.DenoiseAsync(other) };
        await Task.WhenAll(results).ContinueWith(_ => { }, TaskScheduler.Default);

        Assert.True(results[1].IsFaulted);
        Assert.True(Alone(Jobs[0]).BitEquals(await results[0]));
        Assert.True(Alone(Jobs[1]).BitEquals(await results[2]));
    }

    [Fact]
    public async Task A_cancelled_job_leaves_the_batch_and_the_others_finish()
    {
        using var batcher = Batcher(maxWaitMs: 2000);
        using var cancel = new CancellationTokenSource();
        var leaving = Item(Jobs[1], new Progress(step =>
        {
            if (step == 2)
            {
                cancel.Cancel();
            }
        }));

        var staying = batcher.DenoiseAsync(Item(Jobs[0]));
        var cancelled = batcher.DenoiseAsync(leaving, cancel.Token);

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => cancelled);
        Assert.True(Alone(Jobs[0]).BitEquals(await staying));
        Assert.InRange(leaving.Step, 2, 4); // it stopped within a step or two of the cancel, not at its 9th
    }

    [Fact]
    public async Task Text_encodings_and_vae_calls_that_arrive_together_run_as_one_call_with_the_same_results()
    {
        using var batcher = Batcher(maxWaitMs: 2000);
        string[] prompts = ["a red circle", "a blue square", "a yellow star at the top left"];
        var sketches = new[] { 4, 8, 12 }.Select(r => Sketch(_pipeline.ImageWidth, r)).ToArray();

        var texts = await Task.WhenAll(prompts.Select(p => batcher.EncodeTextAsync(p)));
        var latents = await Task.WhenAll(sketches.Select(s => batcher.EncodeImageAsync(s)));
        var images = await Task.WhenAll(latents.Select(l => batcher.DecodeAsync(l, robust: false)));

        for (var i = 0; i < prompts.Length; i++)
        {
            var alone = _pipeline.EncodeText(prompts[i]);
            Assert.Equal(alone.Prompt, texts[i].Prompt);
            Assert.Equal(alone.Empty, texts[i].Empty);
            Assert.True(_pipeline.EncodeImage(sketches[i]).BitEquals(latents[i]));
            Assert.Equal(_pipeline.Decode(latents[i]), images[i]);
        }

        Assert.Contains(("text-encoder", 3), _ran);
        Assert.Contains(("vae-encoder", 3), _ran);
        Assert.Contains(("vae-decoder", 3), _ran);
    }

    [Theory]
    [InlineData(0, 0)]
    [InlineData(257, 0)]
    [InlineData(4, -1)]
    public void Settings_out_of_range_are_refused_naming_them(int maxBatch, double maxWaitMs) =>
        Assert.Contains("Meg:Batching:", Assert.Throws<InvalidOperationException>(() => new BatchingOptions { MaxBatch = maxBatch, MaxWaitMs = maxWaitMs }.Validate()).Message);

    /// <summary>Reports on the batcher's thread, at once (System.Progress would post to the thread pool, too late to act
    /// at the step it reports).</summary>
    private sealed class Progress(Action<int> report) : IProgress<int>
    {
        public void Report(int value) => report(value);
    }

    public void Dispose() => _pipeline.Dispose();
}
