using Meg.Channel;
using Meg.Diffusion.Pipeline;
using Meg.Imaging;
using Meg.Protocols.BuiltIn;
using Meg.Protocols.Costs;
using Meg.Protocols.Plans;
using Meg.Protocols;

namespace Meg.Execution.Tests;

/// <summary>The executor on a small untrained sketch-conditioned export: exactness and accounting do not need a trained model.</summary>
public sealed class ExecutorFixtureTests : IDisposable
{
    private const string Prompt = "a big red star";
    private readonly DiffusionPipeline _pipeline = DiffusionPipeline.Load(RepositoryLayout.TestFixture("fp32-sketch-conditioned"));
    private readonly PlanExecutor _executor;
    private readonly GenerationRequest _request;

    public ExecutorFixtureTests()
    {
        _executor = new PlanExecutor(_pipeline);
        var sketch = RgbImage.Create(32, 32, (x, y) => Math.Abs(x - 16) + Math.Abs(y - 16) == 8 ? new Rgb(0, 0, 0) : new Rgb(255, 255, 255));
        _request = new GenerationRequest(Prompt, sketch, new GenerationSettings { Steps = 8, Guidance = 3, RandomSeed = 11 });
    }

    private static PlanParameters Parameters => new() { TotalSteps = 8, SketchSide = 8, EdgeServers = 2, UserStepsBeforeUplink = 0 };

    public static TheoryData<string, int> SeedPlans() => new()
    {
        { "Centralized", 0 }, { "UIEG", 0 }, { "UIEG", 3 }, { "EIUG", 0 }, { "CIAG", 0 },
        { "UIDG", 0 }, { "DIUG", 0 }, { "UIDCG", 0 },
    };

    [Theory]
    [MemberData(nameof(SeedPlans))]
    public void Over_a_noiseless_channel_every_seed_plan_gives_exactly_the_monolithic_image(string protocol, int userSteps)
    {
        var plan = ProtocolCatalog.Build(protocol, Parameters with { UserStepsBeforeUplink = userSteps });

        var result = _executor.Run(plan, _request, TransmissionOptions.Noiseless);

        Assert.Equal(plan.ImagesPerRequest, result.Images.Count);
        for (var share = 0; share < plan.ImagesPerRequest; share++)
        {
            Assert.Equal(_executor.RunMonolithic(_request, share), result.Images[share]);
        }
    }

    [Fact]
    public async Task Plans_run_at_once_through_one_batcher_give_exactly_their_images_alone()
    {
        // The fixture model's steps take well under a millisecond, so a plan started a little late would find the others
        // done: an idle batcher waits up to 200 ms for company, and the plans start together.
        using var batcher = new Meg.Diffusion.Batching.ModelBatcher(_pipeline, new Meg.Diffusion.Batching.BatchingOptions { MaxBatch = 8, MaxWaitMs = 200 });
        var unetCalls = new List<int>();
        batcher.BatchRan += (part, items) =>
        {
            if (part == "unet")
            {
                lock (unetCalls)
                {
                    unetCalls.Add(items);
                }
            }
        };
        var batched = new PlanExecutor(batcher);
        var items = new[] { ("Centralized", 11UL), ("CIAG", 12UL), ("ESUC", 13UL), ("UIDCG", 14UL) }
            .Select(p => (Plan: ProtocolCatalog.Build(p.Item1, Parameters), Request: _request with { Settings = _request.Settings with { RandomSeed = p.Item2 } }))
            .ToArray();

        // A thread each (Run blocks while the batcher works; the thread pool would start them one by one).
        using var start = new Barrier(items.Length);
        var together = await Task.WhenAll(items.Select(i => Task.Factory.StartNew(
            () =>
            {
                start.SignalAndWait();
                return batched.Run(i.Plan, i.Request, TransmissionOptions.Noiseless);
            },
            CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default)));

        for (var i = 0; i < items.Length; i++)
        {
            Assert.Equal(_executor.Run(items[i].Plan, items[i].Request, TransmissionOptions.Noiseless).Images, together[i].Images);
        }

        Assert.Contains(unetCalls, n => n > 1);
    }

    [Theory]
    [InlineData("CIAG")]
    [InlineData("UIDG")]
    [InlineData("UIDCG")]
    [InlineData("DCSUC")]
    public void Running_independent_steps_at_once_changes_neither_images_nor_records(string protocol)
    {
        var plan = ProtocolCatalog.Build(protocol, Parameters);
        var transmission = new TransmissionOptions { Channel = new ChannelSettings { Mode = ChannelMode.Analog, SnrDb = 5 }, ChannelRandomSeed = 3 };

        var together = _executor.Run(plan, _request, transmission, keepPayloads: true, concurrent: true);
        var alone = _executor.Run(plan, _request, transmission, keepPayloads: true, concurrent: false);

        Assert.Equal(alone.Images, together.Images);
        Assert.Equal(alone.Transfers, together.Transfers);
        Assert.Equal(alone.Payloads.Select(p => (p.Transfer, p.Artifact)), together.Payloads.Select(p => (p.Transfer, p.Artifact)));
    }

    [Theory]
    [InlineData("CIAG")]
    [InlineData("DCSUC")]
    public void Each_step_is_timed_and_a_nodes_stages_add_up_to_its_compute(string protocol)
    {
        var plan = ProtocolCatalog.Build(protocol, Parameters);

        var result = _executor.Run(plan, _request, TransmissionOptions.Noiseless);

        Assert.Equal(plan.Steps.Count, result.StepTime.Count);
        Assert.All(plan.Steps.Select((step, i) => (step, i)).Where(s => s.step is Stage), s => Assert.True(result.StepTime[s.i] > TimeSpan.Zero));
        foreach (var node in plan.Nodes)
        {
            var stages = plan.Steps.Select((step, i) => (step, i)).Where(s => s.step is Stage stage && stage.Node == node).Sum(s => result.StepTime[s.i].Ticks);
            Assert.Equal(result.ComputeTime[node].Ticks, stages);
        }
    }

    [Theory]
    [InlineData("Centralized")]
    [InlineData("CIAG")]
    [InlineData("ESUC")]
    [InlineData("UIDCG")]
    [InlineData("DCSUC")]
    public void Channel_uses_per_link_equal_what_the_plan_predicts(string protocol)
    {
        var plan = ProtocolCatalog.Build(protocol, Parameters);
        var predicted = PlanCostCalculator.Compute(plan, PipelineDimensions.Of(_pipeline),
            new AccountingOptions { PromptBytes = Prompt.Length, PromptBitsPerChannelUse = PayloadTransport.PromptBitsPerChannelUse });
        var analog = new TransmissionOptions { Channel = new ChannelSettings { Mode = ChannelMode.Analog, SnrDb = 10 } };

        var result = _executor.Run(plan, _request, analog);

        foreach (var link in Enum.GetValues<LinkKind>())
        {
            Assert.Equal(predicted.ForLink(link).ChannelUses, result.ChannelUses(link));
        }
    }

    [Fact]
    public void Sketch_plans_run_and_deliver_an_image_of_the_models_size()
    {
        foreach (var protocol in new[] { "ESUC", "DSUC", "DCSUC" })
        {
            var result = _executor.Run(ProtocolCatalog.Build(protocol, Parameters), _request, TransmissionOptions.Noiseless, keepPayloads: true);

            Assert.All(result.Images, image => Assert.Equal((32, 32), (image.Width, image.Height)));
            var sketch = Assert.IsType<RgbImage>(result.Payloads.Last(p => p.Artifact.Kind == ArtifactKind.Sketch && p.Transfer.To.IsUserEquipment).Received);
            Assert.Equal(8, Math.Max(sketch.Width, sketch.Height));
        }
    }

    [Fact]
    public void The_same_channel_seed_gives_the_same_noisy_image_and_another_seed_a_different_one()
    {
        var plan = ProtocolCatalog.Build("EIUG", Parameters);
        var noisy = new TransmissionOptions { Channel = new ChannelSettings { Mode = ChannelMode.Analog, SnrDb = 0 }, ChannelRandomSeed = 5 };

        var a = _executor.Run(plan, _request, noisy).Images[0];
        var b = _executor.Run(plan, _request, noisy).Images[0];
        var c = _executor.Run(plan, _request, noisy with { ChannelRandomSeed = 6 }).Images[0];

        Assert.Equal(a, b);
        Assert.NotEqual(a, c);
        Assert.NotEqual(_executor.RunMonolithic(_request), a);
    }

    [Fact]
    public void A_png_that_no_longer_decodes_under_bit_errors_is_a_measured_outcome_not_a_crash()
    {
        var plan = ProtocolCatalog.Build("Centralized", Parameters);
        var digital = new TransmissionOptions
        {
            Channel = new ChannelSettings { Mode = ChannelMode.Digital, SnrDb = -2, Modulation = Modulation.Qam16, Coded = false },
            ImageForm = ImageForm.Png,
        };

        var result = _executor.Run(plan, _request, digital);

        Assert.True(result.AnyDecodeFailed);
        Assert.True(result.Transfers.Where(t => t.Transfer.Payload == PayloadKind.Image).All(t => t.BitErrors > 0));
        Assert.Equal(32, result.Images[0].Width);
    }

    [Fact]
    public void Centralized_with_jpeg_over_a_digital_link_runs_end_to_end_and_reports_decode_failures()
    {
        var plan = ProtocolCatalog.Build("Centralized", Parameters);
        var good = new TransmissionOptions
        {
            Channel = new ChannelSettings { Mode = ChannelMode.Digital, SnrDb = 20, Modulation = Modulation.Qpsk, Coded = true },
            ImageForm = ImageForm.Jpeg,
        };
        var bad = good with { Channel = new ChannelSettings { Mode = ChannelMode.Digital, SnrDb = -2, Modulation = Modulation.Qam16, Coded = false } };

        var clean = _executor.Run(plan, _request, good);
        var broken = _executor.Run(plan, _request, bad);

        Assert.False(clean.AnyDecodeFailed);
        Assert.All(clean.Transfers, t => Assert.Equal(0, t.BitErrors));
        Assert.Equal((32, 32), (clean.Images[0].Width, clean.Images[0].Height));
        Assert.True(broken.AnyDecodeFailed);
        Assert.Equal((32, 32), (broken.Images[0].Width, broken.Images[0].Height));
    }

    [Fact]
    public void A_prompt_damaged_on_a_noisy_uplink_reaches_the_text_encoder_without_a_crash()
    {
        var plan = ProtocolCatalog.Build("Centralized", Parameters);
        var noisyUplink = new TransmissionOptions
        {
            Channel = new ChannelSettings { Mode = ChannelMode.Analog, SnrDb = -8 },
            NoisyLinks = new HashSet<LinkKind> { LinkKind.Uplink },
        };

        var result = _executor.Run(plan, _request, noisyUplink);

        Assert.True(result.Transfers.Single(t => t.Transfer.Artifacts.Contains(Artifact.Prompt)).BitErrors > 0);
        Assert.Equal(32, result.Images[0].Width);
    }

    [Fact]
    public void Every_seed_form_crosses_a_digital_link_and_reports_its_bits()
    {
        var plan = ProtocolCatalog.Build("EIUG", Parameters);
        foreach (var (form, bitsPerValue) in new[] { (SeedForm.Float32, 32), (SeedForm.Float16, 16), (SeedForm.Quantized8, 8) })
        {
            var options = new TransmissionOptions
            {
                Channel = new ChannelSettings { Mode = ChannelMode.Digital, SnrDb = 30, Modulation = Modulation.Qpsk, Coded = true },
                SeedForm = form,
            };

            var result = _executor.Run(plan, _request, options);

            var seed = result.Transfers.Single(t => t.Transfer.Payload == PayloadKind.Seed);
            Assert.True(seed.Bits >= _pipeline.LatentChannels * 8 * 8 * bitsPerValue, $"{form}: {seed.Bits} bits");
            Assert.Equal(0, seed.BitErrors);
        }
    }

    [Fact]
    public void A_plan_built_for_other_settings_is_rejected_with_both_step_counts()
    {
        var plan = ProtocolCatalog.Build("UIEG", Parameters with { TotalSteps = 12 });

        var error = Assert.Throws<ArgumentException>(() => _executor.Run(plan, _request, TransmissionOptions.Noiseless));

        Assert.Contains("12 steps", error.Message);
        Assert.Contains("8 steps", error.Message);
    }

    public void Dispose() => _pipeline.Dispose();
}
