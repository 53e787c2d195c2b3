using Meg.Channel;
using Meg.Diffusion.Pipeline;
using Meg.Imaging;
using Meg.Protocols.BuiltIn;
using Meg.Protocols.Plans;
using Meg.Protocols;

namespace Meg.Execution.Tests;

/// <summary>Resuming a plan from its prefix (the steps before its first noisy transfer) gives exactly the whole run.</summary>
public sealed class PlanPrefixTests : IDisposable
{
    private readonly DiffusionPipeline _pipeline = DiffusionPipeline.Load(RepositoryLayout.TestFixture("fp32-sketch-conditioned"));
    private readonly GenerationRequest _request;

    public PlanPrefixTests()
    {
        var sketch = RgbImage.Create(32, 32, (x, y) => Math.Abs(x - 16) + Math.Abs(y - 16) == 8 ? new Rgb(0, 0, 0) : new Rgb(255, 255, 255));
        _request = new GenerationRequest("a big red star", sketch, new GenerationSettings { Steps = 8, Guidance = 3, RandomSeed = 11 });
    }

    private static readonly HashSet<LinkKind> Downlink = [LinkKind.Downlink];

    private static ProtocolPlan Plan(string protocol) =>
        ProtocolCatalog.Build(protocol, new PlanParameters { TotalSteps = 8, SketchSide = 8, SketchConditioned = true });

    /// <summary>The case study's options at one SNR: analog, only the downlink noisy; the prefix used another seed.</summary>
    private static TransmissionOptions At(double snrDb, ulong channelSeed, bool robust = false) => new()
    {
        Channel = new ChannelSettings { Mode = ChannelMode.Analog, SnrDb = snrDb },
        NoisyLinks = Downlink,
        RobustDecoder = robust,
        ChannelRandomSeed = channelSeed,
    };

    public static TheoryData<string> CaseStudyProtocols() => [.. ProtocolCatalog.CaseStudy];

    [Theory]
    [MemberData(nameof(CaseStudyProtocols))]
    public void Resuming_from_the_prefix_gives_exactly_the_whole_run_at_two_snrs(string protocol)
    {
        var executor = new PlanExecutor(_pipeline);
        var plan = Plan(protocol);
        var prefix = executor.RunPrefix(plan, _request, At(-20, channelSeed: 5));

        foreach (var (snr, seed) in new[] { (-10.0, 101UL), (10.0, 202UL) })
        {
            foreach (var robust in new[] { false, true })
            {
                var whole = executor.Run(plan, _request, At(snr, seed, robust), keepPayloads: true, concurrent: false);
                var resumed = executor.Resume(prefix, At(snr, seed, robust), keepPayloads: true);

                Assert.Equal(whole.Images, resumed.Images);
                Assert.Equal(whole.Transfers, resumed.Transfers);
                Assert.Equal(whole.TotalChannelUses, resumed.TotalChannelUses);
                Assert.Equal(whole.TotalBits, resumed.TotalBits);
                Assert.Equal(Enum.GetValues<LinkKind>().Select(whole.ChannelUses), Enum.GetValues<LinkKind>().Select(resumed.ChannelUses));
                Assert.Equal(whole.Payloads.Select(p => p.Received), resumed.Payloads.Select(p => p.Received), SameValue);
            }
        }
    }

    [Fact]
    public void The_prefix_ends_before_the_first_payload_on_a_noisy_link()
    {
        var plan = Plan("EIUG");

        var length = PlanPrefix.LengthOf(plan, Downlink);

        var first = Assert.IsType<Transfer>(plan.Steps[length]);
        Assert.Equal(LinkKind.Downlink, first.Link);
        Assert.DoesNotContain(plan.Steps.Take(length), s => s is Transfer { Link: LinkKind.Downlink });
        Assert.Equal(plan.Steps.Count, PlanPrefix.LengthOf(plan, new HashSet<LinkKind> { LinkKind.Backhaul }));
    }

    [Fact]
    public void A_resumed_run_takes_the_prefix_denoising_from_it_when_the_clean_uplink_delivers_the_same_payload()
    {
        var calls = new CountingModelCalls(_pipeline);
        var executor = new PlanExecutor(calls);
        // EIUG: the sketch goes up clean (bytes survive 100 dB unchanged), the ES denoises, the latent comes down noisy.
        var prefix = executor.RunPrefix(Plan("EIUG"), _request, At(-20, channelSeed: 5));
        Assert.Equal(8, calls.DenoiseSteps);

        executor.Resume(prefix, At(0, channelSeed: 7));
        executor.Resume(prefix, TransmissionOptions.Noiseless);

        Assert.Equal(8, calls.DenoiseSteps);
    }

    [Fact]
    public void A_resumed_run_computes_again_from_a_clean_link_payload_that_differs_from_the_prefix()
    {
        var calls = new CountingModelCalls(_pipeline);
        var executor = new PlanExecutor(calls);
        // With pilots, a clean link still crosses the faded channel (at 100 dB) and its estimated gains come from the run's
        // own seed: CIAG's uplinked seed, floats, arrives a little different at each channel seed.
        var plan = Plan("CIAG");
        static TransmissionOptions Faded(TransmissionOptions options) => options with
        {
            Channel = options.Channel with { Fading = FadingModel.Rayleigh, Csi = CsiMode.PilotEstimate, PilotsPerBlock = 4 },
        };
        var prefix = executor.RunPrefix(plan, _request, Faded(At(-20, channelSeed: 5)));
        var prefixSteps = calls.DenoiseSteps;

        var resumed = executor.Resume(prefix, Faded(At(0, channelSeed: 7)));

        // The prefix ran the UE's D[0,2) and, behind the clean uplink, the ES's D[2,6); the resumed run takes the UE's
        // steps from it and runs the ES's again (its input differs) and the UE's last D[6,8).
        Assert.Equal(6, prefixSteps);
        Assert.Equal(6 + 6, calls.DenoiseSteps);
        Assert.Equal(new PlanExecutor(_pipeline).Run(plan, _request, Faded(At(0, channelSeed: 7)), concurrent: false).Images, resumed.Images);
    }

    [Fact]
    public void A_clean_analog_link_hands_back_exactly_what_was_sent_so_every_snr_resumes_behind_it()
    {
        var calls = new CountingModelCalls(_pipeline);
        var executor = new PlanExecutor(calls);
        // CIAG's uplinked seed is floats; the clean uplink is a noiseless pipe counted like the analog link.
        var plan = Plan("CIAG");
        var prefix = executor.RunPrefix(plan, _request, At(-20, channelSeed: 5));

        var resumed = executor.Resume(prefix, At(0, channelSeed: 7));

        Assert.Equal(6 + 2, calls.DenoiseSteps); // only the UE's last D[6,8) runs again
        var whole = new PlanExecutor(_pipeline).Run(plan, _request, At(0, channelSeed: 7), concurrent: false);
        Assert.Equal(whole.Images, resumed.Images);
        Assert.Equal(whole.ChannelUses(LinkKind.Uplink), new PlanExecutor(_pipeline).Run(plan, _request, At(0, channelSeed: 7) with { NoisyLinks = new HashSet<LinkKind> { LinkKind.Uplink, LinkKind.Downlink } }, concurrent: false).ChannelUses(LinkKind.Uplink));
    }

    [Fact]
    public void Prefixes_sharing_a_memo_compute_the_edge_servers_common_steps_once_and_resume_to_the_whole_run()
    {
        var calls = new CountingModelCalls(_pipeline);
        var executor = new PlanExecutor(calls);
        var memo = new StageMemo(_request);
        // Centralized, EIUG and ESUC all start with the edge server's T, E and D[0,8) on the same uplinked sketch.
        var prefixes = new[] { "Centralized", "EIUG", "ESUC" }.Select(p => executor.RunPrefix(Plan(p), _request, At(-20, channelSeed: 5), memo)).ToArray();

        Assert.Equal(8, calls.DenoiseSteps);
        Assert.True(memo.Hits >= 6, $"{memo.Hits} stages taken from the memo");
        foreach (var prefix in prefixes)
        {
            var whole = new PlanExecutor(_pipeline).Run(prefix.Plan, _request, At(0, channelSeed: 9), concurrent: false);
            var resumed = executor.Resume(prefix, At(0, channelSeed: 9));
            Assert.Equal(whole.Images, resumed.Images);
            Assert.Equal(whole.Transfers, resumed.Transfers);
        }

        Assert.Throws<ArgumentException>(() => executor.RunPrefix(Plan("EIUG"), _request with { Prompt = "a small blue moon" }, At(-20, 5), memo));
    }

    private static bool SameValue(object a, object b) => NodeMemorySnapshot.SameValue(a, b);

    public void Dispose() => _pipeline.Dispose();
}
