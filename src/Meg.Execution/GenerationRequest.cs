using Meg.Diffusion.Pipeline;
using Meg.Imaging;

namespace Meg.Execution;

/// <summary>What the user asks for: a prompt, an input image (the sketch) and how to generate.
/// Image <c>i</c> of a multi-image request uses seed <c>Settings.RandomSeed + i</c>.</summary>
public sealed record GenerationRequest(string Prompt, RgbImage InputImage, GenerationSettings Settings)
{
    public ulong RandomSeedOf(int share) => Settings.RandomSeed + (ulong)Math.Max(0, share);

    public GenerationSettings SettingsOf(int share) => Settings with { RandomSeed = RandomSeedOf(share) };
}
