using Meg.Imaging;

namespace Meg.Experiments;

/// <summary>Everything an experiment produced, ready to be written out.</summary>
public sealed record ExperimentResult(
    ExperimentOptions Options,
    string ModelName,
    IReadOnlyList<ItemResult> Items,
    IReadOnlyList<SummaryRow> Summary,
    IReadOnlyList<NoiselessRow> Noiseless,
    double RealCaptionTop1,
    IReadOnlyList<BandwidthPoint> EqualBandwidth,
    ExampleImages Example,
    TimeSpan Elapsed);

/// <summary>The first item's outputs, for the image grid, by row label: the noiseless image of the row's plan, and one image per SNR.</summary>
public sealed record ExampleImages(
    string Caption,
    RgbImage Sketch,
    IReadOnlyDictionary<string, RgbImage> Noiseless,
    IReadOnlyDictionary<(string Protocol, double SnrDb), RgbImage> Noisy);
