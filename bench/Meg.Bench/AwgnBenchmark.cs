using Meg.Channel;
using Meg.Channel.Analog;
using Meg.Channel.Randomness;

namespace Meg.Bench;

/// <summary>
/// AWGN on a 16M-float buffer, as throughput relative to a plain copy of the same buffer measured in the same run:
/// (1) noise add only, in place; (2) the full analog path, normalize + noise + denormalize into a second buffer;
/// (3) the same through WirelessChannel.TransmitFloats, which also allocates the received array.
/// </summary>
internal sealed class AwgnBenchmark : IBenchmark
{
    private const int Length = 16 << 20;

    public string Name => "awgn";

    public string Description => "AWGN throughput on 16M floats vs Span.CopyTo (goal: ratio >= 0.5)";

    public int Run(string[] args)
    {
        var source = new float[Length];
        var target = new float[Length];
        GaussianNoise.Fill(source, seed: 1);
        source.CopyTo(target);
        var settings = new ChannelSettings { Mode = ChannelMode.Analog, SnrDb = 10 };
        ulong seed = 0;

        double copy = Stopwatches.MedianSeconds(() => source.AsSpan().CopyTo(target));
        double noiseOnly = Stopwatches.MedianSeconds(() => GaussianNoise.ScaleAndAdd(target, target, 1f, 0.2f, 1f, ++seed));
        double full = Stopwatches.MedianSeconds(() => AnalogTransmission.Transmit(source, target, settings, ++seed));
        double api = Stopwatches.MedianSeconds(() => WirelessChannel.TransmitFloats(source, settings, ++seed));

        Console.WriteLine($"AWGN on {Length:N0} floats ({Length * 4 / 1e6:F0} MB), {Environment.ProcessorCount} cores, median of 9 after 2 warm-ups");
        Console.WriteLine($"{"path",-44} {"ms",8} {"MB/s",9} {"ratio",6}");
        Print("copy (Span.CopyTo, baseline)", copy, copy);
        Print("noise add only (in place)", noiseOnly, copy);
        Print("normalize + noise + denormalize", full, copy);
        Print("WirelessChannel.TransmitFloats (allocates)", api, copy);
        return 0;
    }

    private static void Print(string name, double seconds, double copySeconds) =>
        Console.WriteLine($"{name,-44} {seconds * 1e3,8:F2} {Length * 4 / 1e6 / seconds,9:F0} {copySeconds / seconds,6:F2}");
}
