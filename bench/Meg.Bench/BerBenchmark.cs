using System.Diagnostics;
using Meg.Channel;
using Meg.Channel.Ber;

namespace Meg.Bench;

/// <summary>Bits per second through BerSimulation, uncoded and coded (soft Viterbi), at one SNR point.</summary>
internal sealed class BerBenchmark : IBenchmark
{
    public string Name => "ber";

    public string Description => "BER simulation throughput (uncoded QPSK and coded BPSK), bits per second";

    public int Run(string[] args)
    {
        Measure("uncoded QPSK, AWGN", new BerSimulationSettings { Modulation = Modulation.Qpsk, SnrDb = [6.0], Bits = 20_000_000 });
        Measure("uncoded 64-QAM, Rayleigh", new BerSimulationSettings
        {
            Modulation = Modulation.Qam64, SnrDb = [20.0], Fading = FadingModel.Rayleigh, Bits = 20_000_000,
        });
        Measure("coded BPSK, soft Viterbi", new BerSimulationSettings { Modulation = Modulation.Bpsk, Coded = true, SnrDb = [3.0], Bits = 2_000_000 });
        return 0;
    }

    private static void Measure(string name, BerSimulationSettings settings)
    {
        BerSimulation.Run(settings with { Bits = settings.Bits / 10 });
        long start = Stopwatch.GetTimestamp();
        BerPoint row = BerSimulation.Run(settings).Single();
        double seconds = Stopwatch.GetElapsedTime(start).TotalSeconds;
        Console.WriteLine($"{name,-28} {settings.Bits,12:N0} bits in {seconds,6:F2} s = {settings.Bits / seconds / 1e6,7:F1} Mbit/s (BER {row.Ber:E2})");
    }
}
