using Meg.Channel;
using Meg.Diffusion.Pipeline;
using Meg.Imaging;
using Meg.Protocols;
using Meg.Protocols.BuiltIn;
using Meg.Protocols.Plans;

namespace Meg.Execution.Tests;

/// <summary>The control run of a sketch protocol: the UE completes without what the channel carried, and that changes
/// its image; the sketches between edge servers and the accounting stay as planned.</summary>
public sealed class SketchControlTests : IDisposable
{
    private readonly DiffusionPipeline _pipeline = DiffusionPipeline.Load(RepositoryLayout.TestFixture("fp32-sketch-conditioned"));
    private readonly PlanExecutor _executor;
    private readonly GenerationRequest _request;

    public SketchControlTests()
    {
        _executor = new PlanExecutor(_pipeline);
        var sketch = RgbImage.Create(32, 32, (x, y) => Math.Abs(x - 16) + Math.Abs(y - 16) == 8 ? new Rgb(0, 0, 0) : new Rgb(255, 255, 255));
        _request = new GenerationRequest("a big red star", sketch, new GenerationSettings { Steps = 8, Guidance = 3, RandomSeed = 11 });
    }

    private static ProtocolPlan Plan(string protocol) =>
        ProtocolCatalog.Build(protocol, new PlanParameters { TotalSteps = 8, SketchSide = 8, EdgeServers = 2 });

    [Theory]
    [InlineData("ESUC")]
    [InlineData("DSUC")]
    [InlineData("DCSUC")]
    public void The_control_hands_the_ue_a_blank_sketch_and_counts_the_transfer_as_sent(string protocol)
    {
        var plan = Plan(protocol);
        var run = _executor.Run(plan, _request, TransmissionOptions.Noiseless, keepPayloads: true);
        var control = _executor.Run(plan, _request, TransmissionOptions.Noiseless with { UeIgnoresReceivedSketch = true }, keepPayloads: true);

        var toUe = control.Payloads.Where(p => p.Artifact.Kind == ArtifactKind.Sketch && p.Transfer.To.IsUserEquipment).ToArray();
        Assert.NotEmpty(toUe);
        Assert.All(toUe, p =>
        {
            var sent = Assert.IsType<RgbImage>(p.Sent);
            var received = Assert.IsType<RgbImage>(p.Received);
            Assert.NotEqual(sent, received);
            Assert.Equal(RgbImage.Filled(sent.Width, sent.Height, new Rgb(128, 128, 128)), received);
        });
        // Sketches between edge servers (DCSUC's backhaul) still arrive: only what reaches the UE is withheld.
        Assert.All(control.Payloads.Where(p => p.Artifact.Kind == ArtifactKind.Sketch && !p.Transfer.To.IsUserEquipment),
            p => Assert.Equal(p.Sent, p.Received));
        Assert.Equal(run.Transfers.Select(t => t.ChannelUses), control.Transfers.Select(t => t.ChannelUses));
    }

    [Theory]
    [InlineData("ESUC")]
    [InlineData("DSUC")]
    public void A_sketch_protocols_image_changes_when_its_received_sketch_changes(string protocol)
    {
        var plan = Plan(protocol);
        var clean = _executor.Run(plan, _request, TransmissionOptions.Noiseless).Images;
        var control = _executor.Run(plan, _request, TransmissionOptions.Noiseless with { UeIgnoresReceivedSketch = true }).Images;
        var noisy = _executor.Run(plan, _request, new TransmissionOptions
        {
            Channel = new ChannelSettings { Mode = ChannelMode.Analog, SnrDb = -10 },
            NoisyLinks = new HashSet<LinkKind> { LinkKind.Downlink },
            ChannelRandomSeed = 3,
        }).Images;

        for (var k = 0; k < clean.Count; k++)
        {
            Assert.NotEqual(clean[k], control[k]);
            Assert.NotEqual(clean[k], noisy[k]);
        }
    }

    public void Dispose() => _pipeline.Dispose();
}
