using Meg.Diffusion.Pipeline;
using Meg.Imaging;

namespace Meg.Execution;

/// <summary>What the user asks for: a prompt, an input image (the sketch) and how to generate.
/// Image <c>i</c> of a multi-image request uses seed <c>Settings.Seed + i</c>.</summary>
public sealed record GenerationRequest(string Prompt, RgbImage InputImage, GenerationSettings Settings)
{
    public ulong SeedOf(int share) => Settings.Seed + (ulong)Math.Max(0, share);

    public GenerationSettings SettingsOf(int share) => Settings with { Seed = SeedOf(share) };
}
