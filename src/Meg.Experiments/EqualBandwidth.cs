using Meg.Channel;
using Meg.Execution;
using Meg.Experiments.Statistics;
using Meg.Protocols.Plans;

namespace Meg.Experiments;

/// <summary>One way of delivering the image in the equal-bandwidth comparison: the scheme (a curve) and its setting (a
/// point on it), run as a variant of EIUG or Centralized.</summary>
public sealed record BandwidthScheme(string Scheme, string Setting, ProtocolVariant Variant);

/// <summary>A scheme's mean quality at one SNR over the items, at the channel uses it spent on the noisy link.</summary>
public sealed record BandwidthPoint(string Scheme, string Setting, double SnrDb, double NoisyUses, ConfidenceInterval SsimVsCentralized);

/// <summary>
/// Quality against channel uses at fixed SNRs: the analog seed (EIUG with the robust decoder) repeated to spend more
/// uses, the seed sent digitally (8-bit values at three modulation and coding settings), and the image baselines
/// (mean-removed analog pixels with the Wiener filter; JPEG at three qualities over coded QPSK). A reader compares the
/// schemes at the same number of channel uses instead of at the same SNR, where digital spends many times the uses.
/// </summary>
public static class EqualBandwidth
{
    /// <summary>The SNRs compared at, when the sweep's grid has them.</summary>
    public static IReadOnlyList<double> SnrDb { get; } = [-5, 5];

    // Short: they are the plot's legend.
    public const string AnalogSeed = "analog seed (xr)";
    public const string DigitalSeed = "digital seed";
    public const string WienerImage = "image + Wiener";
    public const string JpegImage = "JPEG image";

    public static IReadOnlyList<BandwidthScheme> Schemes(ProtocolPlan eiug, ProtocolPlan centralized)
    {
        var schemes = new List<BandwidthScheme>();
        foreach (var r in new[] { 1, 2, 4, 12 })
        {
            schemes.Add(new BandwidthScheme(AnalogSeed, $"x{r}", new ProtocolVariant($"EIUG+robust x{r}", eiug, true)
            {
                Carriage = t => t with { Channel = t.Channel with { Repetitions = r } },
            }));
        }

        foreach (var (modulation, coded, name) in new[] { (Modulation.Qpsk, true, "coded QPSK"), (Modulation.Qpsk, false, "QPSK"), (Modulation.Qam16, false, "16-QAM") })
        {
            schemes.Add(new BandwidthScheme(DigitalSeed, name, new ProtocolVariant($"EIUG digital {name}", eiug, false)
            {
                Carriage = t => t with
                {
                    Channel = t.Channel with { Mode = ChannelMode.Digital, Modulation = modulation, Coded = coded },
                    SeedForm = SeedForm.Quantized8,
                },
            }));
        }

        schemes.Add(new BandwidthScheme(WienerImage, "x1", ImageBaselines.Wiener(centralized)));
        foreach (var quality in new[] { 10, 30, ImageBaselines.JpegQuality })
        {
            schemes.Add(new BandwidthScheme(JpegImage, $"q{quality}", ImageBaselines.Jpeg(centralized, quality, $"{centralized.Name}+jpeg q{quality}")));
        }

        return schemes;
    }
}
