namespace Meg.Channel.Digital;

/// <summary>
/// Row-in, column-out block interleaver: spreads a burst of errors (a faded block) over many codeword positions so
/// the Viterbi decoder sees them as isolated errors. A stream is cut into blocks of rows x columns; the last, shorter
/// block uses the same pattern with the empty cells skipped, so no padding is sent.
/// </summary>
public sealed class BlockInterleaver
{
    private readonly int[] _fullBlockOrder;

    /// <summary>Creates an interleaver writing <paramref name="rows"/> rows of <paramref name="columns"/> items.</summary>
    public BlockInterleaver(int rows, int columns)
    {
        if (rows < 1 || columns < 1 || (long)rows * columns > 1 << 24)
        {
            throw new ArgumentException($"rows and columns must be positive with rows x columns at most 16777216 (got {rows} x {columns}).");
        }

        Rows = rows;
        Columns = columns;
        _fullBlockOrder = ReadOrder(rows, columns, rows * columns);
    }

    /// <summary>Rows of one block.</summary>
    public int Rows { get; }

    /// <summary>Columns of one block.</summary>
    public int Columns { get; }

    /// <summary>Writes <paramref name="input"/> in interleaved order to <paramref name="output"/> (same length, different buffers).</summary>
    public void Interleave<T>(ReadOnlySpan<T> input, Span<T> output) => Permute(input, output, inverse: false);

    /// <summary>Undoes <see cref="Interleave"/>.</summary>
    public void Deinterleave<T>(ReadOnlySpan<T> input, Span<T> output) => Permute(input, output, inverse: true);

    private void Permute<T>(ReadOnlySpan<T> input, Span<T> output, bool inverse)
    {
        if (input.Length != output.Length)
        {
            throw new ArgumentException($"output has {output.Length} items but input has {input.Length}; they must match.", nameof(output));
        }

        int blockLength = _fullBlockOrder.Length;
        for (int start = 0; start < input.Length; start += blockLength)
        {
            int length = Math.Min(blockLength, input.Length - start);
            int[] order = length == blockLength ? _fullBlockOrder : ReadOrder(Rows, Columns, length);
            ReadOnlySpan<T> source = input.Slice(start, length);
            Span<T> target = output.Slice(start, length);
            for (int j = 0; j < length; j++)
            {
                if (inverse)
                {
                    target[order[j]] = source[j];
                }
                else
                {
                    target[j] = source[order[j]];
                }
            }
        }
    }

    // Position p = row * columns + column was written row by row; read column by column, skipping cells >= length.
    private static int[] ReadOrder(int rows, int columns, int length)
    {
        var order = new int[length];
        int j = 0;
        for (int column = 0; column < columns; column++)
        {
            for (int row = 0; row < rows; row++)
            {
                int position = row * columns + column;
                if (position < length)
                {
                    order[j++] = position;
                }
            }
        }

        return order;
    }
}
