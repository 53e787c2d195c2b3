using Meg.Load.Arrivals;

namespace Meg.Load.Tests;

/// <summary>Arrival schedules: seeded, at the asked rate, with the asked burstiness, and the protocol mix's weights.</summary>
public sealed class ArrivalScheduleTests
{
    private static readonly ProtocolMix Ciag = ProtocolMix.Only("CIAG");

    [Theory]
    [InlineData(ArrivalKind.Poisson)]
    [InlineData(ArrivalKind.Gamma)]
    [InlineData(ArrivalKind.Constant)]
    public void The_same_seed_gives_the_same_schedule_and_another_seed_another(ArrivalKind kind)
    {
        var mix = ProtocolMix.Parse("Centralized:1,CIAG:1");
        var a = ArrivalSchedule.Generate(kind, 2, TimeSpan.FromSeconds(60), mix, 256, randomSeed: 7, scv: 4);
        var b = ArrivalSchedule.Generate(kind, 2, TimeSpan.FromSeconds(60), mix, 256, randomSeed: 7, scv: 4);
        var c = ArrivalSchedule.Generate(kind, 2, TimeSpan.FromSeconds(60), mix, 256, randomSeed: 8, scv: 4);

        Assert.Equal(a, b);
        Assert.NotEqual(a, c);
    }

    [Theory]
    [InlineData(ArrivalKind.Poisson, 1.0)]
    [InlineData(ArrivalKind.Gamma, 4.0)]
    [InlineData(ArrivalKind.Gamma, 0.25)]
    [InlineData(ArrivalKind.Constant, 0.0)]
    public void Arrivals_come_at_the_asked_rate_with_the_asked_burstiness(ArrivalKind kind, double scv)
    {
        var planned = ArrivalSchedule.Generate(kind, 5, TimeSpan.FromSeconds(4000), Ciag, 256, randomSeed: 1, scv: kind == ArrivalKind.Gamma ? scv : 1);

        // 20,000 arrivals expected; a Poisson count's sd is about 141 (gamma's larger with its SCV).
        Assert.InRange(planned.Count, 20_000 - 5 * 141 * Math.Sqrt(Math.Max(1, scv)), 20_000 + 5 * 141 * Math.Sqrt(Math.Max(1, scv)));
        Assert.InRange(ArrivalSchedule.GapScv(planned), scv * 0.9 - 0.01, scv * 1.1 + 0.01);
        Assert.All(planned.Zip(planned.Skip(1)), p => Assert.True(p.Second.Offset >= p.First.Offset));
    }

    [Fact]
    public void The_mix_sends_protocols_in_proportion_to_their_weights_and_items_cover_the_set()
    {
        var planned = ArrivalSchedule.Generate(ArrivalKind.Poisson, 10, TimeSpan.FromSeconds(1000), ProtocolMix.Parse("Centralized:3,CIAG:1"), 256, randomSeed: 3);

        var share = planned.Count(p => p.Protocol == "Centralized") / (double)planned.Count;
        Assert.InRange(share, 0.73, 0.77);
        Assert.Equal(256, planned.Select(p => p.Item).Distinct().Count());
        Assert.All(planned, p => Assert.InRange(p.Item, 0, 255));
    }

    [Fact]
    public void A_trace_is_replayed_in_time_order_and_a_bad_line_is_named()
    {
        var file = Path.GetTempFileName();
        try
        {
            File.WriteAllLines(file, ["offset_s,protocol,item", "1.5,ciag,3", "0.25,Centralized,0"]);
            var planned = ArrivalSchedule.ReadTrace(file, ["Centralized", "CIAG"], 256);
            Assert.Equal([new PlannedRequest(TimeSpan.FromSeconds(0.25), "Centralized", 0), new PlannedRequest(TimeSpan.FromSeconds(1.5), "CIAG", 3)], planned);

            File.WriteAllLines(file, ["0.5,CIAG,999"]);
            var error = Assert.Throws<FormatException>(() => ArrivalSchedule.ReadTrace(file, ["CIAG"], 256));
            Assert.Contains("line 1", error.Message);
            Assert.Contains("item from 0 to 255", error.Message);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Theory]
    [InlineData("CIAG:0")]
    [InlineData("CIAG:x")]
    [InlineData("")]
    public void A_bad_mix_is_refused(string text) => Assert.Throws<ArgumentException>(() => ProtocolMix.Parse(text));
}
