using Meg.Diffusion.Pipeline;
using Meg.Execution;
using Meg.Imaging;
using Meg.Protocols.Plans;

namespace Meg.Distributed.Tests;

public sealed class ArtifactSerializerTests
{
    [Fact]
    public void A_latent_comes_back_bit_for_bit_with_its_shape()
    {
        var data = new float[] { 1.5f, -0f, float.Epsilon, float.MaxValue, -3.25e-20f, 7, 8, 9 };
        var latent = new Latent(data, 2, 2, 2);

        var back = ArtifactSerializer.Deserialize<Latent>(ArtifactSerializer.Serialize(latent));

        Assert.True(latent.BitEquals(back));
        Assert.Equal(BitConverter.SingleToInt32Bits(-0f), BitConverter.SingleToInt32Bits(back.Data[1]));
    }

    [Fact]
    public void Images_text_conditionings_and_prompts_round_trip()
    {
        var image = RgbImage.Create(5, 3, (x, y) => new Rgb((byte)(x * 40), (byte)(y * 80), 7));
        var text = new TextConditioning([1, 2, 3, 4, 5, 6], [-1, -2, -3, -4, -5, -6], 3, 2);

        Assert.Equal(image, ArtifactSerializer.Deserialize<RgbImage>(ArtifactSerializer.Serialize(image)));
        var t = ArtifactSerializer.Deserialize<TextConditioning>(ArtifactSerializer.Serialize(text));
        Assert.Equal(text.Prompt, t.Prompt);
        Assert.Equal(text.Empty, t.Empty);
        Assert.Equal((text.Length, text.Width), (t.Length, t.Width));
        Assert.Equal("un chat rouge ★", ArtifactSerializer.Deserialize<string>(ArtifactSerializer.Serialize("un chat rouge ★")));
    }

    [Fact]
    public void Truncated_or_unknown_bytes_are_rejected_with_a_reason()
    {
        var bytes = ArtifactSerializer.Serialize(new Latent(new float[8], 2, 2, 2));

        Assert.Contains("latent", Assert.Throws<FormatException>(() => ArtifactSerializer.Deserialize(bytes.AsSpan(0, bytes.Length - 1))).Message);
        Assert.Contains("tag", Assert.Throws<FormatException>(() => ArtifactSerializer.Deserialize([99, 1, 2])).Message);
    }

    [Fact]
    public void Artifact_keys_name_every_field_and_parse_back()
    {
        foreach (var artifact in new[] { Artifact.Prompt, Artifact.LatentAt(8, 1), Artifact.SketchOf(0, 16), Artifact.InputLatent })
        {
            Assert.Equal(artifact, ArtifactKey.Parse(ArtifactKey.Of(artifact)));
        }

        Assert.Throws<FormatException>(() => ArtifactKey.Parse("Latent/x"));
    }
}
