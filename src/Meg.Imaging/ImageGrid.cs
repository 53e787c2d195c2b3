using SkiaSharp;

namespace Meg.Imaging;

/// <summary>Appearance of an <see cref="ImageGrid"/>.</summary>
public sealed record GridOptions
{
    /// <summary>Gap in pixels between cells and around the grid.</summary>
    public int Padding { get; init; } = 4;

    /// <summary>Label text size in pixels.</summary>
    public float FontSize { get; init; } = 14f;

    /// <summary>
    /// A TrueType/OpenType file for labels. Null: the first DejaVu/Liberation font found in the usual
    /// Linux folders, else Skia's default. When none can be loaded, labels are left blank (no exception).
    /// </summary>
    public string? FontFile { get; init; }

    public Rgb Background { get; init; } = new(255, 255, 255);

    /// <summary>Fill of a cell whose image is null (e.g. an image that failed to decode).</summary>
    public Rgb MissingCell { get; init; } = new(190, 190, 190);

    public Rgb TextColor { get; init; } = new(0, 0, 0);
}

/// <summary>Where everything goes in a grid; sizes in pixels.</summary>
public sealed record GridLayout(
    int Rows,
    int Columns,
    int CellWidth,
    int CellHeight,
    int RowLabelWidth,
    int ColumnLabelHeight,
    int Padding)
{
    public int Width => Padding + RowLabelWidth + Columns * (CellWidth + Padding);

    public int Height => Padding + ColumnLabelHeight + Rows * (CellHeight + Padding);

    /// <summary>Top-left corner of the cell at (row, column).</summary>
    public (int X, int Y) CellOrigin(int row, int column) =>
        (Padding + RowLabelWidth + column * (CellWidth + Padding), Padding + ColumnLabelHeight + row * (CellHeight + Padding));
}

/// <summary>
/// Composes images into one labelled grid, e.g. a row per protocol and a column per SNR. Cells are as large
/// as the largest image; smaller images are centred. A null cell is drawn as a grey box.
/// </summary>
public static class ImageGrid
{
    /// <summary>Whether a font for labels was found (see <see cref="LabelFonts"/>); without one, labels are blank.</summary>
    public static bool LabelFontAvailable => LabelFonts.Available;

    /// <summary>Computes the layout without drawing (label sizes depend on the font).</summary>
    public static GridLayout Measure(
        IReadOnlyList<IReadOnlyList<RgbImage?>> cells,
        IReadOnlyList<string>? rowLabels = null,
        IReadOnlyList<string>? columnLabels = null,
        GridOptions? options = null)
    {
        options ??= new GridOptions();
        var shape = Validate(cells, rowLabels, columnLabels, options);
        using var font = CreateFont(options);
        return Measure(shape, rowLabels, columnLabels, options, font);
    }

    /// <summary>Draws the grid: <paramref name="cells"/>[row][column], optional labels per row and column.</summary>
    public static unsafe RgbImage Compose(
        IReadOnlyList<IReadOnlyList<RgbImage?>> cells,
        IReadOnlyList<string>? rowLabels = null,
        IReadOnlyList<string>? columnLabels = null,
        GridOptions? options = null)
    {
        options ??= new GridOptions();
        var shape = Validate(cells, rowLabels, columnLabels, options);
        using var font = CreateFont(options);
        var layout = Measure(shape, rowLabels, columnLabels, options, font);
        if (layout.Width > RgbImage.MaxSide || layout.Height > RgbImage.MaxSide)
        {
            throw new ArgumentException(
                $"The grid would be {layout.Width}x{layout.Height}; at most {RgbImage.MaxSide} per side. Use fewer or smaller cells.",
                nameof(cells));
        }

        var info = new SKImageInfo(layout.Width, layout.Height, SKColorType.Rgba8888, SKAlphaType.Premul);
        var rgba = new byte[info.BytesSize];
        fixed (byte* pixels = rgba)
        {
            using var surface = SKSurface.Create(info, (IntPtr)pixels, info.RowBytes)
                ?? throw new InvalidOperationException($"Skia could not create a {layout.Width}x{layout.Height} surface.");
            var canvas = surface.Canvas;
            canvas.Clear(ToColor(options.Background));
            DrawCells(canvas, cells, layout, options);
            DrawLabels(canvas, font, layout, rowLabels, columnLabels, options);
            canvas.Flush();
        }

        var rgb = new byte[layout.Width * layout.Height * 3];
        for (int p = 0; p < layout.Width * layout.Height; p++)
        {
            rgb[p * 3] = rgba[p * 4];
            rgb[p * 3 + 1] = rgba[p * 4 + 1];
            rgb[p * 3 + 2] = rgba[p * 4 + 2];
        }

        return RgbImage.TakeOwnership(layout.Width, layout.Height, rgb);
    }

    /// <summary>Composes the grid and writes it as a PNG file.</summary>
    public static RgbImage WritePng(
        string path,
        IReadOnlyList<IReadOnlyList<RgbImage?>> cells,
        IReadOnlyList<string>? rowLabels = null,
        IReadOnlyList<string>? columnLabels = null,
        GridOptions? options = null)
    {
        var grid = Compose(cells, rowLabels, columnLabels, options);
        PngCodec.WriteFile(grid, path);
        return grid;
    }

    private static (int Rows, int Columns, int CellWidth, int CellHeight) Validate(
        IReadOnlyList<IReadOnlyList<RgbImage?>> cells,
        IReadOnlyList<string>? rowLabels,
        IReadOnlyList<string>? columnLabels,
        GridOptions options)
    {
        ArgumentNullException.ThrowIfNull(cells);
        if (options.Padding < 0 || !(options.FontSize > 0))
        {
            throw new ArgumentException($"Padding must be >= 0 and FontSize > 0 (got {options.Padding}, {options.FontSize}).", nameof(options));
        }

        int rows = cells.Count;
        int columns = rows == 0 ? 0 : cells.Max(r => r?.Count ?? 0);
        if (rows == 0 || columns == 0)
        {
            throw new ArgumentException("The grid needs at least one row and one column.", nameof(cells));
        }

        int cellWidth = 1, cellHeight = 1;
        foreach (var row in cells)
        {
            ArgumentNullException.ThrowIfNull(row, nameof(cells));
            foreach (var image in row)
            {
                if (image is not null)
                {
                    cellWidth = Math.Max(cellWidth, image.Width);
                    cellHeight = Math.Max(cellHeight, image.Height);
                }
            }
        }

        if (rowLabels is not null && rowLabels.Count != rows)
        {
            throw new ArgumentException($"Got {rowLabels.Count} row labels for {rows} rows; give one per row or none.", nameof(rowLabels));
        }

        if (columnLabels is not null && columnLabels.Count != columns)
        {
            throw new ArgumentException($"Got {columnLabels.Count} column labels for {columns} columns; give one per column or none.", nameof(columnLabels));
        }

        return (rows, columns, cellWidth, cellHeight);
    }

    private static GridLayout Measure(
        (int Rows, int Columns, int CellWidth, int CellHeight) shape,
        IReadOnlyList<string>? rowLabels,
        IReadOnlyList<string>? columnLabels,
        GridOptions options,
        SKFont font)
    {
        int rowLabelWidth = 0;
        if (rowLabels is not null)
        {
            float widest = rowLabels.Select(label => TextWidth(font, label ?? string.Empty)).DefaultIfEmpty(0f).Max();
            rowLabelWidth = (int)MathF.Ceiling(widest) + options.Padding;
        }

        int columnLabelHeight = columnLabels is null ? 0 : LineHeight(options) + options.Padding;
        return new GridLayout(shape.Rows, shape.Columns, shape.CellWidth, shape.CellHeight, rowLabelWidth, columnLabelHeight, options.Padding);
    }

    private static void DrawCells(SKCanvas canvas, IReadOnlyList<IReadOnlyList<RgbImage?>> cells, GridLayout layout, GridOptions options)
    {
        using var missing = new SKPaint { Color = ToColor(options.MissingCell) };
        for (int r = 0; r < cells.Count; r++)
        {
            for (int c = 0; c < layout.Columns; c++)
            {
                var (x, y) = layout.CellOrigin(r, c);
                RgbImage? image = c < cells[r].Count ? cells[r][c] : null;
                if (image is null)
                {
                    canvas.DrawRect(x, y, layout.CellWidth, layout.CellHeight, missing);
                    continue;
                }

                using var bitmap = ToBitmap(image);
                canvas.DrawBitmap(bitmap, x + (layout.CellWidth - image.Width) / 2, y + (layout.CellHeight - image.Height) / 2);
            }
        }
    }

    private static void DrawLabels(
        SKCanvas canvas,
        SKFont font,
        GridLayout layout,
        IReadOnlyList<string>? rowLabels,
        IReadOnlyList<string>? columnLabels,
        GridOptions options)
    {
        using var paint = new SKPaint { Color = ToColor(options.TextColor), IsAntialias = true };
        float baselineOffset = -font.Metrics.Ascent;
        if (columnLabels is not null)
        {
            for (int c = 0; c < columnLabels.Count; c++)
            {
                var (x, _) = layout.CellOrigin(0, c);
                string text = columnLabels[c] ?? string.Empty;
                float width = font.MeasureText(text);
                canvas.Save();
                canvas.ClipRect(new SKRect(x, 0, x + layout.CellWidth, layout.Padding + layout.ColumnLabelHeight));
                canvas.DrawText(text, x + Math.Max(0f, (layout.CellWidth - width) / 2f), layout.Padding + baselineOffset, SKTextAlign.Left, font, paint);
                canvas.Restore();
            }
        }

        if (rowLabels is not null)
        {
            for (int r = 0; r < rowLabels.Count; r++)
            {
                var (_, y) = layout.CellOrigin(r, 0);
                float top = y + (layout.CellHeight - LineHeight(options)) / 2f;
                canvas.DrawText(rowLabels[r] ?? string.Empty, layout.Padding, top + baselineOffset, SKTextAlign.Left, font, paint);
            }
        }
    }

    private static int LineHeight(GridOptions options) => (int)MathF.Ceiling(options.FontSize * 1.25f);

    // A typeface without glyphs measures 0; estimate instead so the layout keeps room for the label.
    private static float TextWidth(SKFont font, string text)
    {
        float width = font.MeasureText(text);
        return width > 0 || text.Length == 0 ? width : 0.6f * font.Size * text.Length;
    }

    private static SKFont CreateFont(GridOptions options)
    {
        SKTypeface? typeface = options.FontFile is null ? LabelFonts.Regular : LabelFonts.FromFile(options.FontFile);
        return new SKFont(typeface ?? SKTypeface.Default, options.FontSize) { Edging = SKFontEdging.Antialias };
    }

    private static SKColor ToColor(Rgb c) => new(c.R, c.G, c.B);

    private static unsafe SKBitmap ToBitmap(RgbImage image)
    {
        var bitmap = new SKBitmap(new SKImageInfo(image.Width, image.Height, SKColorType.Rgba8888, SKAlphaType.Opaque));
        var destination = new Span<byte>((void*)bitmap.GetPixels(), bitmap.ByteCount);
        ReadOnlySpan<byte> rgb = image.Pixels;
        int rowBytes = bitmap.RowBytes;
        for (int y = 0; y < image.Height; y++)
        {
            for (int x = 0; x < image.Width; x++)
            {
                int s = (y * image.Width + x) * 3, d = y * rowBytes + x * 4;
                destination[d] = rgb[s];
                destination[d + 1] = rgb[s + 1];
                destination[d + 2] = rgb[s + 2];
                destination[d + 3] = 255;
            }
        }

        return bitmap;
    }
}
