using Meg.Channel.Digital;
using Meg.Channel.Randomness;

namespace Meg.Channel.Tests;

public class ConvolutionalCodeTests
{
    [Fact]
    public void An_impulse_produces_the_generator_taps()
    {
        // A single 1 followed by zeros reads out both generators, most significant tap first: 133 and 171 octal.
        byte[] info = [1, 0, 0, 0, 0, 0, 0];
        var coded = new byte[ConvolutionalCode.CodewordLength(info.Length)];

        ConvolutionalCode.EncodeCodeword(info, coded);

        string g0 = string.Concat(Enumerable.Range(0, 7).Select(t => coded[2 * t]));
        string g1 = string.Concat(Enumerable.Range(0, 7).Select(t => coded[2 * t + 1]));
        Assert.Equal("1011011", g0);
        Assert.Equal("1111001", g1);
    }

    [Fact]
    public void Tail_bits_return_the_encoder_to_state_zero()
    {
        byte[] info = RandomBits(100, seed: 1);
        var coded = new byte[ConvolutionalCode.CodewordLength(info.Length)];
        ConvolutionalCode.EncodeCodeword(info, coded);

        // The last six steps flush the register; a codeword of zeros appended afterwards stays all zero.
        Assert.Equal(2 * (100 + 6), coded.Length);
        var decoded = new byte[info.Length];
        ViterbiDecoder.DecodeCodeword(ToHardLlrs(coded), decoded);
        Assert.Equal(info, decoded);
    }

    [Fact]
    public void Viterbi_corrects_a_few_isolated_hard_errors()
    {
        byte[] info = RandomBits(400, seed: 2);
        var coded = new byte[ConvolutionalCode.CodewordLength(info.Length)];
        ConvolutionalCode.EncodeCodeword(info, coded);
        foreach (int position in new[] { 10, 11, 150, 400, 650 })
        {
            coded[position] ^= 1;
        }

        var decoded = new byte[info.Length];
        ViterbiDecoder.DecodeCodeword(ToHardLlrs(coded), decoded);

        Assert.Equal(info, decoded);
    }

    [Fact]
    public void Long_payloads_are_split_into_terminated_codewords_and_decoded_back()
    {
        byte[] info = RandomBits(2 * ConvolutionalCode.MaxInfoBitsPerCodeword + 77, seed: 3);
        var coded = new byte[ConvolutionalCode.EncodedLength(info.Length)];
        ConvolutionalCode.Encode(info, coded);
        var decoded = new byte[info.Length];

        ViterbiDecoder.Decode(ToHardLlrs(coded), decoded);

        Assert.Equal(2L * (info.Length + 3 * ConvolutionalCode.TailBits), coded.Length);
        Assert.Equal(info, decoded);
    }

    [Fact]
    public void Soft_decoding_prefers_confident_bits_over_weak_wrong_ones()
    {
        byte[] info = RandomBits(200, seed: 4);
        var coded = new byte[ConvolutionalCode.CodewordLength(info.Length)];
        ConvolutionalCode.EncodeCodeword(info, coded);
        float[] llrs = ToHardLlrs(coded);

        // Seven wrong bits in a row defeat hard decoding (free distance 10) but are weak, so soft decoding recovers.
        for (int i = 100; i < 107; i++)
        {
            llrs[i] = -0.05f * llrs[i];
        }

        var decoded = new byte[info.Length];
        ViterbiDecoder.DecodeCodeword(llrs, decoded);
        Assert.Equal(info, decoded);
    }

    private static byte[] RandomBits(int count, ulong seed)
    {
        var bits = new byte[count];
        new Xoshiro256StarStar(seed).FillBits(bits);
        return bits;
    }

    private static float[] ToHardLlrs(byte[] coded) => coded.Select(b => b == 0 ? 1f : -1f).ToArray();
}
