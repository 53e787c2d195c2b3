using Meg.Distributed.Jobs;
using Meg.Imaging;
using Meg.Protocols;

namespace Meg.Distributed.Tests;

public sealed class JobRequestValidatorTests
{
    private static readonly ModelDimensions Model = new("fixture", 32, 32, 4, 4, 16, 32, true);
    private static readonly JobRequestValidator Validator = new(Model, "fixture", 2, maxSteps: 999);
    private static readonly string Png = Convert.ToBase64String(PngCodec.Encode(InMemoryJobTests.Sketch));

    private static JobRequest Valid => new() { Prompt = "a red star", Sketch = Png, Protocol = "UIEG", Steps = 8 };

    public static TheoryData<string, JobRequest> BadRequests() => new()
    {
        { "prompt", Valid with { Prompt = " " } },
        { "protocol", Valid with { Protocol = "teleport" } },
        { "snrDb", Valid with { SnrDb = 500 } },
        { "sketch", Valid with { Sketch = Convert.ToBase64String("GIF89a not a png"u8.ToArray()) } },
        { "sketch", Valid with { Sketch = Convert.ToBase64String(PngCodec.Encode(RgbImage.Filled(1100, 20, new Rgb(1, 2, 3)))) } },
        { "sketch", Valid with { Sketch = Convert.ToBase64String(Meg.Chaos.Fuzzing.PngBomb.Create(16384, 16384)) } },
        { "steps", Valid with { Steps = 0 } },
        { "steps", Valid with { Steps = 5000 } },
        { "steps", Valid with { Steps = 1000 } },
        { "deadlineMs", Valid with { DeadlineMs = 0 } },
        { "maxWaitMs", Valid with { MaxWaitMs = double.NaN } },
        { "channel", Valid with { Channel = "carrier pigeon" } },
        { "guidance", Valid with { Guidance = 0.5 } },
    };

    [Theory]
    [MemberData(nameof(BadRequests))]
    public void Bad_input_is_rejected_naming_the_field(string field, JobRequest request)
    {
        var (spec, _, errors) = Validator.Validate(request, Guid.NewGuid());

        Assert.Null(spec);
        Assert.Contains(field, errors.Keys);
    }

    [Fact]
    public void Auto_picks_a_single_edge_protocol_and_a_valid_request_becomes_a_spec()
    {
        var (spec, sketch, errors) = Validator.Validate(Valid with { Protocol = "auto" }, Guid.NewGuid());

        Assert.Empty(errors);
        Assert.NotNull(sketch);
        Assert.Contains(spec!.Protocol, Meg.Protocols.BuiltIn.ProtocolCatalog.CaseStudy);
    }

    [Fact]
    public void A_PNG_bomb_is_refused_from_its_header_without_decoding()
    {
        var bomb = Valid with { Sketch = Convert.ToBase64String(Meg.Chaos.Fuzzing.PngBomb.Create(16384, 16384)) };
        Validator.Validate(bomb, Guid.NewGuid()); // warm up: the first call loads code

        var before = GC.GetAllocatedBytesForCurrentThread();
        var (spec, _, errors) = Validator.Validate(bomb, Guid.NewGuid());
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Null(spec);
        Assert.Contains("16384x16384", errors["sketch"][0]);
        // Decoding would have taken 16384 x 16384 x 4 bytes = 1 GiB.
        Assert.True(allocated < 1_000_000, $"validating the bomb allocated {allocated} bytes");
    }

    [Theory]
    [InlineData(64, 64)]
    [InlineData(16, 16)]
    [InlineData(100, 40)]
    public void A_sketch_of_another_size_is_resized_to_the_models(int width, int height)
    {
        var image = RgbImage.Create(width, height, (x, y) => x < width / 2 ? new Rgb(0, 0, 0) : new Rgb(255, 255, 255));

        var (spec, sketch, errors) = Validator.Validate(Valid with { Sketch = Convert.ToBase64String(PngCodec.Encode(image)) }, Guid.NewGuid());

        Assert.Empty(errors);
        Assert.NotNull(spec);
        Assert.Equal((Model.ImageWidth, Model.ImageHeight), (sketch!.Width, sketch.Height));
        Assert.Equal(new Rgb(0, 0, 0), sketch[0, 0]);
        Assert.Equal(new Rgb(255, 255, 255), sketch[Model.ImageWidth - 1, Model.ImageHeight - 1]);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(999)]
    public void Steps_at_either_edge_of_the_bound_are_accepted(int steps)
    {
        var (spec, _, errors) = Validator.Validate(Valid with { Steps = steps, Protocol = "Centralized" }, Guid.NewGuid());

        Assert.Empty(errors);
        Assert.Equal(steps, spec!.Settings.Steps);
    }
}
