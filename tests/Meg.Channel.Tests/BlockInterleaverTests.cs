using Meg.Channel.Digital;

namespace Meg.Channel.Tests;

public class BlockInterleaverTests
{
    [Theory]
    [InlineData(4, 6, 24)]
    [InlineData(4, 6, 100)]
    [InlineData(7, 3, 5)]
    [InlineData(16, 32, 1000)]
    public void Interleaving_is_a_permutation_and_deinterleaving_restores(int rows, int columns, int length)
    {
        var interleaver = new BlockInterleaver(rows, columns);
        int[] input = Enumerable.Range(0, length).ToArray();
        var shuffled = new int[length];
        var restored = new int[length];

        interleaver.Interleave<int>(input, shuffled);
        interleaver.Deinterleave<int>(shuffled, restored);

        Assert.Equal(input, shuffled.Order());
        Assert.Equal(input, restored);
    }

    [Fact]
    public void Adjacent_items_end_up_a_row_length_apart()
    {
        var interleaver = new BlockInterleaver(rows: 4, columns: 6);
        int[] input = Enumerable.Range(0, 24).ToArray();
        var shuffled = new int[24];

        interleaver.Interleave<int>(input, shuffled);

        // Read column by column: 0, 6, 12, 18, 1, 7, ...
        Assert.Equal([0, 6, 12, 18, 1, 7], shuffled.Take(6));
        Assert.NotEqual(input, shuffled);
    }
}
