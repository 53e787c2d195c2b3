using System.Text;
using Meg.Channel;
using Meg.Imaging;
using Meg.Protocols;
using Meg.Protocols.Costs;
using Meg.Protocols.Plans;
using Meg.Quality;

namespace Meg.Execution.Tests;

/// <summary>How images, sketches and the prompt cross a link, without a model.</summary>
public class PayloadTransportTests
{
    private static readonly Transfer Downlink = new(NodeId.EdgeServer(1), NodeId.UserEquipment, Artifact.ImageOf(0));
    private static readonly Transfer Uplink = new(NodeId.UserEquipment, NodeId.EdgeServer(1), Artifact.Prompt);
    private static readonly Lazy<RgbImage> Scene = new(() => PngCodec.ReadFile(Path.Combine(RepositoryLayout.Root, "models", "meg-tiny", "eval", "000_image.png")));

    private static TransmissionOptions Analog(double snrDb, ImageForm form = ImageForm.RawPixels, ImageDenoiser denoiser = ImageDenoiser.None) => new()
    {
        Channel = new ChannelSettings { Mode = ChannelMode.Analog, SnrDb = snrDb },
        ImageForm = form,
        ImageDenoiser = denoiser,
    };

    private static (T Value, TransferRecord Record) Send<T>(TransmissionOptions options, Transfer transfer, object value, ulong seed = 9)
    {
        var from = new NodeMemory(transfer.From);
        var to = new NodeMemory(transfer.To);
        from.Put(transfer.Artifacts[0], value);
        var record = new PayloadTransport(options).Send(transfer, from, to, seed);
        return (to.Get<T>(transfer.Artifacts[0]), record);
    }

    [Fact]
    public void Raw_pixels_on_an_analog_link_are_exactly_what_the_channels_byte_transfer_delivers()
    {
        var options = Analog(3);

        var (image, record) = Send<RgbImage>(options, Downlink, Scene.Value);

        var bytes = WirelessChannel.TransmitBytes(Scene.Value.Pixels, options.Channel, 9);
        Assert.Equal(new RgbImage(64, 64, bytes.Received), image);
        Assert.Equal(bytes.Accounting.ChannelUses, record.ChannelUses);
        Assert.Equal(8L * 3 * 64 * 64, record.Bits);
    }

    [Fact]
    public void Mean_removed_pixels_arrive_exactly_over_a_noiseless_link_and_count_their_means_at_the_prompts_rate()
    {
        var (image, record) = Send<RgbImage>(TransmissionOptions.Noiseless with { ImageForm = ImageForm.MeanRemoved }, Downlink, Scene.Value);

        Assert.Equal(Scene.Value, image);
        Assert.Equal(8L * 3 * 64 * 64 + 24, record.Bits);
        var predicted = PlanCostCalculator.LoadOf([Artifact.ImageOf(0)], ModelDimensions.MegTiny, new AccountingOptions { MeanRemovedImages = true });
        Assert.Equal(predicted.ChannelUses, record.ChannelUses);
        Assert.Equal(3 * 64 * 64 / 2 + 30, record.ChannelUses);
    }

    [Theory]
    [InlineData(-5.0)]
    [InlineData(0.0)]
    [InlineData(10.0)]
    public void Removing_the_means_and_then_the_wiener_filter_each_raise_the_psnr_of_a_real_scene(double snrDb)
    {
        var raw = Send<RgbImage>(Analog(snrDb), Downlink, Scene.Value).Value;
        var meanRemoved = Send<RgbImage>(Analog(snrDb, ImageForm.MeanRemoved), Downlink, Scene.Value).Value;
        var filtered = Send<RgbImage>(Analog(snrDb, ImageForm.MeanRemoved, ImageDenoiser.Wiener), Downlink, Scene.Value).Value;

        var (p0, p1, p2) = (Psnr.Compute(Scene.Value, raw), Psnr.Compute(Scene.Value, meanRemoved), Psnr.Compute(Scene.Value, filtered));
        Assert.True(p1 > p0, $"{snrDb} dB: raw {p0:F2} dB, mean removed {p1:F2} dB");
        Assert.True(p2 > p1, $"{snrDb} dB: mean removed {p1:F2} dB, with Wiener {p2:F2} dB");
    }

    [Fact]
    public void The_denoiser_leaves_images_on_clean_links_and_sketches_alone()
    {
        var cleanDownlink = Analog(0, denoiser: ImageDenoiser.Wiener) with { NoisyLinks = new HashSet<LinkKind> { LinkKind.Uplink } };
        var sketch = Scene.Value.Resize(16, 16, ResizeMode.Area);
        var sketchTransfer = new Transfer(NodeId.EdgeServer(1), NodeId.UserEquipment, Artifact.SketchOf(0, 16));

        Assert.Equal(Send<RgbImage>(cleanDownlink with { ImageDenoiser = ImageDenoiser.None }, Downlink, Scene.Value).Value,
            Send<RgbImage>(cleanDownlink, Downlink, Scene.Value).Value);
        Assert.Equal(Send<RgbImage>(Analog(0), sketchTransfer, sketch).Value,
            Send<RgbImage>(Analog(0, denoiser: ImageDenoiser.Wiener), sketchTransfer, sketch).Value);
    }

    [Fact]
    public void On_a_digital_link_mean_removed_is_raw_pixels()
    {
        var digital = new TransmissionOptions { Channel = new ChannelSettings { Mode = ChannelMode.Digital, SnrDb = 2, Coded = false } };

        var raw = Send<RgbImage>(digital, Downlink, Scene.Value);
        var meanRemoved = Send<RgbImage>(digital with { ImageForm = ImageForm.MeanRemoved }, Downlink, Scene.Value);

        Assert.Equal(raw, meanRemoved);
        Assert.True(raw.Record.BitErrors > 0);
    }

    [Fact]
    public void An_undefined_form_or_denoiser_is_refused_naming_the_field()
    {
        var form = Assert.Throws<ArgumentException>(() => Send<RgbImage>(Analog(0, (ImageForm)42), Downlink, Scene.Value));
        var denoiser = Assert.Throws<ArgumentException>(() => Send<RgbImage>(Analog(0, denoiser: (ImageDenoiser)42), Downlink, Scene.Value));

        Assert.Equal(nameof(TransmissionOptions.ImageForm), form.ParamName);
        Assert.Equal(nameof(TransmissionOptions.ImageDenoiser), denoiser.ParamName);
    }

    [Theory]
    [InlineData(ChannelMode.Noiseless)]
    [InlineData(ChannelMode.Analog)]
    [InlineData(ChannelMode.Digital)]
    public void A_grey_sketch_goes_as_one_plane_and_arrives_grey(ChannelMode mode)
    {
        var grey = RgbImage.Create(16, 16, (x, y) => new Rgb((byte)(x * 16), (byte)(x * 16), (byte)(x * 16)));
        var transfer = new Transfer(NodeId.EdgeServer(1), NodeId.UserEquipment, Artifact.SketchOf(0, 16));
        var options = new TransmissionOptions { Channel = new ChannelSettings { Mode = mode, SnrDb = 20 } };

        var (sketch, record) = Send<RgbImage>(options, transfer, grey);

        Assert.Equal(16 * 16, record.Values);
        Assert.True(Enumerable.Range(0, 256).All(i => sketch[i % 16, i / 16].R == sketch[i % 16, i / 16].G && sketch[i % 16, i / 16].G == sketch[i % 16, i / 16].B));
        if (mode != ChannelMode.Digital)
        {
            var predicted = PlanCostCalculator.LoadOf([Artifact.SketchOf(0, 16)], ModelDimensions.MegTiny, new AccountingOptions { GreySketches = true });
            Assert.Equal(predicted.ChannelUses, record.ChannelUses);
        }

        if (mode == ChannelMode.Noiseless)
        {
            Assert.Equal(grey, sketch);
        }
    }

    [Fact]
    public void A_colour_sketch_and_a_grey_image_go_as_three_planes()
    {
        var grey = RgbImage.Filled(16, 16, new Rgb(90, 90, 90));
        var colour = RgbImage.Filled(16, 16, new Rgb(90, 91, 90));
        var sketch = new Transfer(NodeId.EdgeServer(1), NodeId.UserEquipment, Artifact.SketchOf(0, 16));

        Assert.Equal(3 * 16 * 16, Send<RgbImage>(TransmissionOptions.Noiseless, sketch, colour).Record.Values);
        Assert.Equal(3 * 16 * 16, Send<RgbImage>(TransmissionOptions.Noiseless, Downlink, grey).Record.Values);
    }

    [Fact]
    public void The_prompt_arrives_intact_over_a_noiseless_link_and_is_counted_as_coded_qpsk()
    {
        const string prompt = "a small café by the sea";
        var bytes = Encoding.UTF8.GetByteCount(prompt);

        var (received, record) = Send<string>(TransmissionOptions.Noiseless, Uplink, prompt);

        Assert.Equal(prompt, received);
        Assert.Equal(8L * bytes, record.Bits);
        Assert.Equal(8L * bytes + 6, record.ChannelUses);
        Assert.Equal(new AccountingOptions { PromptBitsPerChannelUse = PayloadTransport.PromptBitsPerChannelUse }.PromptChannelUses(8L * bytes), record.ChannelUses);
    }

    [Fact]
    public void The_prompt_crosses_the_links_channel_so_a_low_snr_damages_it_and_a_high_one_does_not()
    {
        const string prompt = "a red star over a blue house at night";

        var (good, goodRecord) = Send<string>(Analog(10), Uplink, prompt);
        var (bad, badRecord) = Send<string>(Analog(-6), Uplink, prompt);

        Assert.Equal(prompt, good);
        Assert.Equal(0, goodRecord.BitErrors);
        Assert.NotEqual(prompt, bad);
        Assert.True(badRecord.BitErrors > 0);
        Assert.Equal(goodRecord.ChannelUses, badRecord.ChannelUses);
        Assert.Equal(8L * prompt.Length + 6, badRecord.ChannelUses);
    }

    [Fact]
    public void The_prompts_setting_keeps_the_links_snr_and_fading_but_not_its_modulation()
    {
        var link = new ChannelSettings { Mode = ChannelMode.Analog, SnrDb = 3, Fading = FadingModel.Rayleigh, Modulation = Modulation.Qam64, Coded = false, InterleaverRows = 4, InterleaverColumns = 8 };

        var prompt = PayloadTransport.PromptChannel(link);

        Assert.Equal((ChannelMode.Digital, Modulation.Qpsk, true, false), (prompt.Mode, prompt.Modulation, prompt.Coded, prompt.UsesInterleaver));
        Assert.Equal((3.0, FadingModel.Rayleigh), (prompt.SnrDb, prompt.Fading));
        Assert.Equal(FadingModel.None, PayloadTransport.PromptChannel(link with { Mode = ChannelMode.Noiseless }).Fading);
    }
}
