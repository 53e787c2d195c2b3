using Meg.Distributed.Jobs;
using Meg.Imaging;
using Meg.Protocols;

namespace Meg.Distributed.Tests;

public sealed class JobRequestValidatorTests
{
    private static readonly ModelDimensions Model = new("fixture", 32, 32, 4, 4, 16, 32, true);
    private static readonly JobRequestValidator Validator = new(Model, "fixture", 2);
    private static readonly string Png = Convert.ToBase64String(PngCodec.Encode(InMemoryJobTests.Sketch));

    private static JobRequest Valid => new() { Prompt = "a red star", Sketch = Png, Protocol = "UIEG", Steps = 8 };

    public static TheoryData<string, JobRequest> BadRequests() => new()
    {
        { "prompt", Valid with { Prompt = " " } },
        { "protocol", Valid with { Protocol = "teleport" } },
        { "snrDb", Valid with { SnrDb = 500 } },
        { "sketch", Valid with { Sketch = Convert.ToBase64String("GIF89a not a png"u8.ToArray()) } },
        { "sketch", Valid with { Sketch = Convert.ToBase64String(PngCodec.Encode(RgbImage.Filled(64, 64, new Rgb(1, 2, 3)))) } },
        { "steps", Valid with { Steps = 0 } },
        { "steps", Valid with { Steps = 5000 } },
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
}
