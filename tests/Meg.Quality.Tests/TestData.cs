using System.Text.Json;
using Meg.Imaging;

namespace Meg.Quality.Tests;

/// <summary>The images and scikit-image reference values under data/ (see data/make_reference.py).</summary>
internal static class TestData
{
    public static string Folder => Path.Combine(AppContext.BaseDirectory, "data");

    public static string PathOf(string name) => Path.Combine(Folder, name);

    public static RgbImage Load(string name) => PngCodec.ReadFile(PathOf(name));

    public static IReadOnlyList<ReferencePair> Pairs { get; } = LoadPairs();

    private static List<ReferencePair> LoadPairs()
    {
        using var json = JsonDocument.Parse(File.ReadAllText(PathOf("reference.json")));
        return json.RootElement.GetProperty("pairs").EnumerateArray()
            .Select(p => new ReferencePair(
                p.GetProperty("reference").GetString()!,
                p.GetProperty("distorted").GetString()!,
                Number(p.GetProperty("psnr")),
                p.GetProperty("ssim").GetDouble(),
                p.GetProperty("ms_ssim_meg").GetDouble(),
                Number(p.GetProperty("ms_ssim_pytorch"))))
            .ToList();
    }

    private static double? Number(JsonElement e) => e.ValueKind == JsonValueKind.Null ? null : e.GetDouble();

    /// <summary>A noisy copy of <paramref name="image"/>: Gaussian noise of the given sigma, fixed seed.</summary>
    public static RgbImage WithNoise(RgbImage image, double sigma, int seed)
    {
        var random = new Random(seed);
        var bytes = image.ToArray();
        for (int i = 0; i < bytes.Length; i++)
        {
            double u1 = 1.0 - random.NextDouble(), u2 = random.NextDouble();
            double normal = Math.Sqrt(-2 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
            bytes[i] = (byte)Math.Clamp(Math.Round(bytes[i] + sigma * normal), 0, 255);
        }

        return new RgbImage(image.Width, image.Height, bytes);
    }
}

public sealed record ReferencePair(string Reference, string Distorted, double? Psnr, double Ssim, double MsSsimMeg, double? MsSsimPytorch)
{
    public override string ToString() => $"{Reference} vs {Distorted}";
}
