using Meg.Imaging;

namespace Meg.Imaging.Tests;

public class ImageGridTests
{
    private static readonly RgbImage Red = RgbImage.Filled(20, 10, new Rgb(255, 0, 0));
    private static readonly RgbImage Blue = RgbImage.Filled(16, 12, new Rgb(0, 0, 255));

    private static IReadOnlyList<IReadOnlyList<RgbImage?>> TwoByThree() =>
    [
        [Red, Blue, Red],
        [Blue, null, Red],
    ];

    [Fact]
    public void A_grid_without_labels_is_cells_of_the_largest_image_size_plus_padding()
    {
        var grid = ImageGrid.Compose(TwoByThree(), options: new GridOptions { Padding = 3 });
        Assert.Equal(3 + 3 * (20 + 3), grid.Width);
        Assert.Equal(3 + 2 * (12 + 3), grid.Height);
    }

    [Fact]
    public void Labels_add_a_column_band_on_top_and_a_row_band_on_the_left()
    {
        string[] rows = ["centralized", "UIEG"];
        string[] columns = ["-5 dB", "0 dB", "5 dB"];
        var layout = ImageGrid.Measure(TwoByThree(), rows, columns);
        var grid = ImageGrid.Compose(TwoByThree(), rows, columns);
        Assert.Equal((layout.Width, layout.Height), (grid.Width, grid.Height));
        Assert.True(layout.RowLabelWidth > 0);
        Assert.True(layout.ColumnLabelHeight >= 14);
        Assert.Equal(layout.Padding + layout.RowLabelWidth + 3 * (20 + layout.Padding), grid.Width);
    }

    [Fact]
    public void Cells_are_drawn_centred_at_their_layout_position_and_missing_cells_are_grey()
    {
        var options = new GridOptions();
        var layout = ImageGrid.Measure(TwoByThree(), options: options);
        var grid = ImageGrid.Compose(TwoByThree(), options: options);
        var (x, y) = layout.CellOrigin(0, 1);
        Assert.Equal(new Rgb(0, 0, 255), grid[x + 10, y + 6]);
        Assert.Equal(options.Background, grid[x + 1, y + 6]);
        var (mx, my) = layout.CellOrigin(1, 1);
        Assert.Equal(options.MissingCell, grid[mx + 5, my + 5]);
    }

    [Fact]
    public void Labels_are_drawn_exactly_when_a_label_font_is_available()
    {
        var plain = ImageGrid.Compose(TwoByThree(), ["a", "b"], ["SNR 0", "SNR 5", "SNR 10"]);
        var layout = ImageGrid.Measure(TwoByThree(), ["a", "b"], ["SNR 0", "SNR 5", "SNR 10"]);
        int dark = 0;
        for (int y = 0; y < layout.Padding + layout.ColumnLabelHeight; y++)
        {
            for (int x = 0; x < plain.Width; x++)
            {
                dark += plain[x, y].R < 128 ? 1 : 0;
            }
        }

        Assert.Equal(ImageGrid.LabelFontAvailable, dark > 0);
    }

    [Fact]
    public void A_font_file_that_cannot_be_loaded_leaves_labels_blank_instead_of_failing()
    {
        var options = new GridOptions { FontFile = "/nonexistent/font.ttf" };
        var grid = ImageGrid.Compose(TwoByThree(), ["row one", "row two"], ["a", "b", "c"], options);
        var layout = ImageGrid.Measure(TwoByThree(), ["row one", "row two"], ["a", "b", "c"], options);
        Assert.Equal((layout.Width, layout.Height), (grid.Width, grid.Height));
        Assert.True(layout.RowLabelWidth > options.Padding);
    }

    [Fact]
    public void Label_counts_must_match_the_grid()
    {
        var error = Assert.Throws<ArgumentException>(() => ImageGrid.Compose(TwoByThree(), ["only one"]));
        Assert.Contains("1 row labels for 2 rows", error.Message);
    }

    [Fact]
    public void A_grid_written_as_png_reads_back_identical()
    {
        string path = Path.Combine(Path.GetTempPath(), $"meg-grid-{Guid.NewGuid():N}.png");
        try
        {
            var grid = ImageGrid.WritePng(path, TwoByThree(), ["a", "b"], ["1", "2", "3"]);
            Assert.Equal(grid, PngCodec.ReadFile(path));
        }
        finally
        {
            File.Delete(path);
        }
    }
}
