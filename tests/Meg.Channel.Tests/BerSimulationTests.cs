using Meg.Channel.Ber;

namespace Meg.Channel.Tests;

public class BerSimulationTests
{
    // Eb/N0 points chosen so the BER lies between about 1e-2 and 1e-4; bit counts give over 1000 errors at each
    // point, so +-10 % is more than 3 standard deviations of the estimate.
    public static TheoryData<Modulation, double[], long> AwgnCases => new()
    {
        { Modulation.Bpsk, [2.0, 4.0, 6.0], 1_500_000 },
        { Modulation.Qpsk, [2.0, 4.0, 6.0], 1_500_000 },
        { Modulation.Qam16, [4.0, 6.0, 8.0], 1_500_000 },
        { Modulation.Qam64, [8.0, 10.0, 12.0], 1_500_000 },
    };

    [Theory]
    [MemberData(nameof(AwgnCases))]
    public void Uncoded_awgn_ber_is_within_ten_percent_of_theory(Modulation modulation, double[] ebN0Db, long bits)
    {
        var settings = new BerSimulationSettings { Modulation = modulation, SnrDb = ebN0Db, Bits = bits, RandomSeed = 1 };

        IReadOnlyList<BerPoint> rows = BerSimulation.Run(settings);

        foreach (BerPoint row in rows)
        {
            Assert.True(row.BitErrors >= 1000, $"{modulation} at {row.SnrDb} dB: only {row.BitErrors} errors");
            Assert.True(row.BerTheory >= 1e-4, $"{modulation} at {row.SnrDb} dB: theory {row.BerTheory} below 1e-4");
            Assert.InRange(row.Ber, row.BerTheory * 0.9, row.BerTheory * 1.1);
        }
    }

    [Fact]
    public void Uncoded_awgn_ber_matches_theory_near_1e_minus_4()
    {
        // BPSK at 8.3 dB: BER 1.2e-4; 8M bits give about 950 errors, so +-10 % is 3 standard deviations.
        var settings = new BerSimulationSettings { Modulation = Modulation.Bpsk, SnrDb = [8.3], Bits = 8_000_000, RandomSeed = 2 };

        BerPoint row = BerSimulation.Run(settings).Single();

        Assert.InRange(row.Ber, row.BerTheory * 0.9, row.BerTheory * 1.1);
    }

    [Fact]
    public void Bpsk_on_rayleigh_with_perfect_csi_matches_theory()
    {
        var settings = new BerSimulationSettings
        {
            Modulation = Modulation.Bpsk, SnrDb = [5.0, 10.0, 15.0], Fading = FadingModel.Rayleigh, FadingBlockLength = 1,
            Bits = 1_000_000, RandomSeed = 3,
        };

        foreach (BerPoint row in BerSimulation.Run(settings))
        {
            double g = Math.Pow(10, row.EbN0Db / 10);
            double expected = 0.5 * (1 - Math.Sqrt(g / (1 + g)));
            Assert.Equal(expected, row.BerTheory, 1e-12);
            Assert.True(row.BitErrors >= 1000, $"only {row.BitErrors} errors at {row.SnrDb} dB");
            Assert.InRange(row.Ber, expected * 0.9, expected * 1.1);
        }
    }

    [Fact]
    public void Coded_bpsk_with_soft_viterbi_at_4_db_is_below_1e_minus_4()
    {
        var settings = new BerSimulationSettings { Modulation = Modulation.Bpsk, Coded = true, SnrDb = [4.0], Bits = 300_000, RandomSeed = 4 };

        BerPoint row = BerSimulation.Run(settings).Single();

        Assert.True(row.Ber < 1e-4, $"BER {row.Ber} ({row.BitErrors} errors in {row.Bits} bits)");
        Assert.True(double.IsNaN(row.BerTheory));
        Assert.Equal(300_000, row.Bits);
    }

    [Fact]
    public void Coding_gains_over_uncoded_at_the_same_eb_n0()
    {
        var uncoded = new BerSimulationSettings { Modulation = Modulation.Qpsk, SnrDb = [3.0], Bits = 200_000, RandomSeed = 5 };

        double uncodedBer = BerSimulation.Run(uncoded).Single().Ber;
        double codedBer = BerSimulation.Run(uncoded with { Coded = true }).Single().Ber;

        Assert.True(codedBer * 20 < uncodedBer, $"coded {codedBer} vs uncoded {uncodedBer}");
    }

    [Fact]
    public void Interleaving_spreads_fading_bursts_for_the_decoder()
    {
        var settings = new BerSimulationSettings
        {
            Modulation = Modulation.Qpsk, Coded = true, Fading = FadingModel.Rayleigh, FadingBlockLength = 32, SnrDb = [8.0],
            Bits = 200_000, RandomSeed = 7,
        };

        double plain = BerSimulation.Run(settings).Single().Ber;
        double interleaved = BerSimulation.Run(settings with { InterleaverRows = 128, InterleaverColumns = 256 }).Single().Ber;

        Assert.True(interleaved * 3 < plain, $"interleaved {interleaved} vs plain {plain}");
    }

    [Fact]
    public void Es_n0_axis_is_eb_n0_plus_ten_log_bits_per_symbol_times_rate()
    {
        var settings = new BerSimulationSettings { Modulation = Modulation.Qam16, Coded = true, SnrAxis = SnrAxis.EsN0, SnrDb = [10.0], Bits = 1000 };

        BerPoint row = BerSimulation.Run(settings).Single();

        Assert.Equal(10.0, row.EsN0Db);
        Assert.Equal(10.0 - 10 * Math.Log10(2), row.EbN0Db, 1e-12);
    }

    [Fact]
    public void Results_are_reproducible_and_progress_reaches_one()
    {
        var settings = new BerSimulationSettings { Modulation = Modulation.Qam16, SnrDb = [6.0, 8.0], Bits = 300_000, RandomSeed = 6 };
        double last = 0;
        int reports = 0;
        var progress = new SynchronousProgress(value =>
        {
            Interlocked.Increment(ref reports);
            lock (settings)
            {
                last = Math.Max(last, value);
            }
        });

        IReadOnlyList<BerPoint> first = BerSimulation.Run(settings, progress);
        IReadOnlyList<BerPoint> again = BerSimulation.Run(settings);

        Assert.Equal(first, again);
        Assert.Equal(1.0, last);
        Assert.Equal(2 * 7, reports); // 300 000 bits are 7 chunks per SNR point
    }

    [Fact]
    public void Snr_grid_parses_ranges_lists_and_rejects_nonsense()
    {
        Assert.Equal([-2.0, 0, 2, 4, 6, 8, 10], SnrGrid.Parse("-2:2:10"));
        Assert.Equal([0.0, 0.5, 1.0], SnrGrid.Parse("0:0.5:1"));
        Assert.Equal([1.0, 3.5], SnrGrid.Parse("1, 3.5"));
        Assert.Contains("positive step", Assert.Throws<FormatException>(() => SnrGrid.Parse("10:-2:0")).Message);
        Assert.Contains("not a number", Assert.Throws<FormatException>(() => SnrGrid.Parse("a,b")).Message);
    }

    private sealed class SynchronousProgress(Action<double> report) : IProgress<double>
    {
        public void Report(double value) => report(value);
    }
}
