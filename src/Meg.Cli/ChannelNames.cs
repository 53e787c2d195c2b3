using Meg.Channel;
using Meg.Execution;
using Meg.Protocols.Plans;

namespace Meg.Cli;

/// <summary>The words the CLI accepts for channel settings, each with an error that lists the accepted ones.</summary>
internal static class ChannelNames
{
    public static Modulation Modulation(string text) => text.Trim().ToLowerInvariant() switch
    {
        "bpsk" => Meg.Channel.Modulation.Bpsk,
        "qpsk" => Meg.Channel.Modulation.Qpsk,
        "16qam" or "qam16" or "16-qam" => Meg.Channel.Modulation.Qam16,
        "64qam" or "qam64" or "64-qam" => Meg.Channel.Modulation.Qam64,
        _ => throw new ArgumentException($"--modulation '{text}' is not known; use bpsk, qpsk, 16qam or 64qam."),
    };

    public static IReadOnlySet<LinkKind> Links(string text)
    {
        if (text.Trim().Equals("all", StringComparison.OrdinalIgnoreCase))
        {
            return new HashSet<LinkKind>(Enum.GetValues<LinkKind>());
        }

        return text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(l => l.ToLowerInvariant() switch
        {
            "ul" or "uplink" => LinkKind.Uplink,
            "dl" or "downlink" => LinkKind.Downlink,
            "bh" or "backhaul" => LinkKind.Backhaul,
            _ => throw new ArgumentException($"--noisy-links '{l}' is not a link; use ul, dl, bh (comma-separated) or all."),
        }).ToHashSet();
    }

    public static string DisplayName(Modulation modulation) => modulation switch
    {
        Meg.Channel.Modulation.Bpsk => "BPSK",
        Meg.Channel.Modulation.Qpsk => "QPSK",
        Meg.Channel.Modulation.Qam16 => "16-QAM",
        _ => "64-QAM",
    };

    public static FadingModel Fading(string text) => text.Trim().ToLowerInvariant() switch
    {
        "awgn" or "none" => FadingModel.None,
        "rayleigh" => FadingModel.Rayleigh,
        "rician" => FadingModel.Rician,
        _ => throw new ArgumentException($"'{text}' is not a known channel; use awgn, rayleigh or rician."),
    };

    public static ChannelMode Transmission(string text) => text.Trim().ToLowerInvariant() switch
    {
        "analog" => ChannelMode.Analog,
        "digital" => ChannelMode.Digital,
        "capacity" => ChannelMode.Capacity,
        _ => throw new ArgumentException($"--transmission '{text}' is not known; use analog, digital or capacity."),
    };

    public static SeedForm SeedForm(string text) => text.Trim().ToLowerInvariant() switch
    {
        "float32" or "fp32" => Meg.Execution.SeedForm.Float32,
        "float16" or "fp16" => Meg.Execution.SeedForm.Float16,
        "8bit" or "int8" or "q8" => Meg.Execution.SeedForm.Quantized8,
        _ => throw new ArgumentException($"--seed-form '{text}' is not known; use float32, float16 or 8bit."),
    };

    public static ImageForm ImageForm(string text) => text.Trim().ToLowerInvariant() switch
    {
        "raw" => Meg.Execution.ImageForm.RawPixels,
        "png" => Meg.Execution.ImageForm.Png,
        "jpeg" or "jpg" => Meg.Execution.ImageForm.Jpeg,
        _ => throw new ArgumentException($"--image-form '{text}' is not known; use raw, png or jpeg."),
    };
}
