namespace Meg.Imaging.Tests;

/// <summary>The test images, shared with the quality tests (tests/Meg.Quality.Tests/data, copied next to the tests).</summary>
internal static class TestImages
{
    public static string PathOf(string name) => Path.Combine(AppContext.BaseDirectory, "data", name);

    public static RgbImage Load(string name) => PngCodec.ReadFile(PathOf(name));
}
