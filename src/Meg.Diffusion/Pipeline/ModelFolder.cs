using System.Text.Json;

namespace Meg.Diffusion.Pipeline;

/// <summary>
/// A Stable Diffusion ONNX export folder (model_index.json, tokenizer/, text_encoder/, unet/, vae_encoder/,
/// vae_decoder/, scheduler/), plus MEG's optional vae_decoder_robust/ and image_encoder/.
/// </summary>
public sealed record ModelFolder(string Root)
{
    public string TextEncoder => Part("text_encoder");

    public string Unet => Part("unet");

    public string VaeEncoder => Part("vae_encoder");

    public string VaeDecoder => Part("vae_decoder");

    public string RobustVaeDecoder => Part("vae_decoder_robust");

    public string ImageEncoder => Part("image_encoder");

    public string Tokenizer => Path.Combine(Root, "tokenizer");

    public string NoiseScheduleConfig => Path.Combine(Root, "scheduler", "scheduler_config.json");

    public bool HasRobustDecoder => File.Exists(RobustVaeDecoder);

    public bool HasImageEncoder => File.Exists(ImageEncoder);

    private string Part(string name) => Path.Combine(Root, name, "model.onnx");

    /// <summary>Checks that the folder holds every required part; the message names what is missing.</summary>
    public static ModelFolder Open(string root)
    {
        if (!Directory.Exists(root))
        {
            throw new DirectoryNotFoundException($"Model folder not found: {root} (expected a Stable Diffusion ONNX export, e.g. models/meg-tiny).");
        }

        var folder = new ModelFolder(Path.GetFullPath(root));
        var missing = new[] { folder.TextEncoder, folder.Unet, folder.VaeEncoder, folder.VaeDecoder, folder.NoiseScheduleConfig,
                Path.Combine(folder.Tokenizer, "vocab.json"), Path.Combine(folder.Tokenizer, "merges.txt") }
            .Where(p => !File.Exists(p)).Select(p => Path.GetRelativePath(folder.Root, p)).ToArray();
        if (missing.Length > 0)
        {
            throw new FileNotFoundException($"Model folder {root} is missing: {string.Join(", ", missing)}.");
        }

        return folder;
    }

    /// <summary>The VAE latent scaling factor: vae_decoder/config.json, then model_index.json, else SD's 0.18215.</summary>
    public double ScalingFactor()
    {
        foreach (var path in new[] { Path.Combine(Root, "vae_decoder", "config.json"), Path.Combine(Root, "model_index.json") })
        {
            if (File.Exists(path))
            {
                using var doc = JsonDocument.Parse(File.ReadAllText(path));
                if (doc.RootElement.TryGetProperty("scaling_factor", out var v) && v.TryGetDouble(out var s) && s > 0)
                {
                    return s;
                }
            }
        }

        return 0.18215;
    }
}
