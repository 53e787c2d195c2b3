using Meg.Channel;
using Meg.Execution;
using Meg.Protocols.Plans;

namespace Meg.Experiments;

/// <summary>
/// The centralized image sent the ways a reviewer expects besides raw analog pixels, each a variant of Centralized:
/// "+mr" removes each colour plane's mean before the analog link (no power spent on brightness), "+wiener" does that
/// and denoises at the receiver with an adaptive Wiener filter that knows the link's SNR, and "+jpeg" sends a JPEG
/// file over the digital channel (rate-1/2 coded QPSK). The strongest of them at an SNR is the headline's baseline
/// (<see cref="Findings.StrongestImageBaseline"/>).
/// </summary>
public static class ImageBaselines
{
    public const int JpegQuality = 75;

    public static IEnumerable<ProtocolVariant> Variants(ProtocolPlan centralized) =>
    [
        new ProtocolVariant(centralized.Name + "+mr", centralized, false) { Carriage = t => t with { ImageForm = ImageForm.MeanRemoved } },
        Wiener(centralized),
        Jpeg(centralized, JpegQuality, centralized.Name + "+jpeg"),
    ];

    public static ProtocolVariant Wiener(ProtocolPlan centralized) => new(centralized.Name + "+wiener", centralized, false)
    {
        Carriage = t => t with { ImageForm = ImageForm.MeanRemoved, ImageDenoiser = ImageDenoiser.Wiener },
    };

    public static ProtocolVariant Jpeg(ProtocolPlan centralized, int quality, string name) => new(name, centralized, false)
    {
        Carriage = t => t with
        {
            Channel = t.Channel with { Mode = ChannelMode.Digital, Modulation = Modulation.Qpsk, Coded = true },
            ImageForm = ImageForm.Jpeg,
            JpegQuality = quality,
        },
    };
}
