using System.Diagnostics;
using System.Globalization;
using Meg.Diffusion.Pipeline;
using Meg.Distributed.Nodes;

namespace Meg.Bench;

/// <summary>
/// What a split protocol pays when the UNet moves from one process to another on the same cores, with nothing else in
/// between (a pipe; no broker, no Redis): CIAG's denoising stages D[0,5), D[5,15), D[15,20) with the middle one in a
/// second process, against all three in this process (the baseline), in turns. Per-step times show how long the
/// process that takes the UNet over runs slower before it is back to speed; a third way, one process whose UNet waits
/// as long as the middle stage takes before the last stage, tells the cost of the hand-over from that of the pause.
/// </summary>
internal sealed class HandoverBenchmark : IBenchmark
{
    private const string ServeFlag = "--serve-middle-stage";
    private const int Steps = UnetStages.Steps;
    private static readonly (int From, int To)[] Stages = UnetStages.Ciag;

    public string Name => "handover";

    public string Description => "CIAG's UNet stages handed between two processes vs kept in one, per step [--rounds N] [--spinning] [model folder]";

    public int Run(string[] args)
    {
        var spinning = args.Contains("--spinning");
        var serving = args.Contains(ServeFlag);
        var rounds = 30;
        var rest = new List<string>();
        for (var i = 0; i < args.Length; i++)
        {
            if (args[i] == "--rounds")
            {
                if (i + 1 >= args.Length || !int.TryParse(args[++i], NumberStyles.Integer, CultureInfo.InvariantCulture, out rounds) || rounds is < 1 or > 1000)
                {
                    Console.Error.WriteLine("--rounds must be a whole number from 1 to 1000.");
                    return 2;
                }
            }
            else if (args[i] is not ("--spinning" or ServeFlag))
            {
                rest.Add(args[i]);
            }
        }

        var folder = Path.GetFullPath(RepositoryLayout.LocateModel(rest.FirstOrDefault()));
        using var pipeline = DiffusionPipeline.Load(folder, new ModelOptions { AllowSpinning = spinning }.Execution);
        var work = new UnetStages(pipeline);
        return serving ? Serve(work) : Compare(work, folder, spinning, rounds);
    }

    /// <summary>The second process: runs the middle stage whenever asked, answers with its per-step times.</summary>
    private static int Serve(UnetStages work)
    {
        while (Console.ReadLine() is { } line && line == "go")
        {
            Console.WriteLine(string.Join(',', work.Stage(Stages[1]).Select(t => t.ToString("R", CultureInfo.InvariantCulture))));
        }

        return 0;
    }

    private static int Compare(UnetStages work, string folder, bool spinning, int rounds)
    {
        var self = Environment.ProcessPath ?? throw new InvalidOperationException("The benchmark's own executable is unknown.");
        var arguments = new List<string>();
        if (Path.GetFileNameWithoutExtension(self) == "dotnet")
        {
            arguments.Add(typeof(HandoverBenchmark).Assembly.Location);
        }

        arguments.AddRange(["handover", ServeFlag, folder]);
        if (spinning)
        {
            arguments.Add("--spinning");
        }

        var start = new ProcessStartInfo(self) { RedirectStandardInput = true, RedirectStandardOutput = true };
        arguments.ForEach(start.ArgumentList.Add);
        using var other = Process.Start(start) ?? throw new InvalidOperationException("Could not start the second process.");
        try
        {
            double[] Remote()
            {
                other.StandardInput.WriteLine("go");
                return (other.StandardOutput.ReadLine() ?? throw new InvalidOperationException("The second process ended early."))
                    .Split(',').Select(t => double.Parse(t, CultureInfo.InvariantCulture)).ToArray();
            }

            Console.WriteLine($"Model {folder}, {Environment.ProcessorCount} cores, {Steps} DDIM steps (guidance 4) as CIAG splits them, " +
                              $"ONNX Runtime spinning {(spinning ? "within a run" : "off")}; {rounds} rounds each way after 5, in turns.");
            var one = Stages.Select(_ => new List<double[]>()).ToArray();
            var two = Stages.Select(_ => new List<double[]>()).ToArray();
            var paused = new List<double[]>();
            for (var round = -5; round < rounds; round++)
            {
                var alone = Stages.Select(work.Stage).ToArray();
                var split = new[] { work.Stage(Stages[0]), Remote(), work.Stage(Stages[2]) };
                // The third way: one process whose UNet only waits as long as the middle stage takes, doing nothing.
                var afterPause = work.LastAfterPause(TimeSpan.FromMilliseconds(alone[1].Sum()));
                if (round >= 0)
                {
                    for (var s = 0; s < Stages.Length; s++)
                    {
                        one[s].Add(alone[s]);
                        two[s].Add(split[s]);
                    }

                    paused.Add(afterPause);
                }
            }

            other.StandardInput.WriteLine("quit");
            other.WaitForExit(TimeSpan.FromSeconds(30));
            Print(one, two, paused);
            return 0;
        }
        finally
        {
            if (!other.HasExited)
            {
                other.Kill();
            }
        }
    }

    private static void Print(List<double[]>[] one, List<double[]>[] two, List<double[]> paused)
    {
        static double[] PerStep(List<double[]> runs) =>
            Enumerable.Range(0, runs[0].Length).Select(i => MedianInterval.MedianOfSorted(runs.Select(r => r[i]).Order().ToArray())).ToArray();
        static string Row(IEnumerable<double> values) => string.Concat(values.Select(v => v.ToString("0.00", CultureInfo.InvariantCulture).PadLeft(7)));

        Console.WriteLine("Median ms per denoising step; one = every stage in this process, two = the middle stage in a second process.");
        var (totalOne, totalTwo) = (0.0, 0.0);
        for (var s = 0; s < Stages.Length; s++)
        {
            var (a, b) = (PerStep(one[s]), PerStep(two[s]));
            (totalOne, totalTwo) = (totalOne + a.Sum(), totalTwo + b.Sum());
            var stage = $"D[{Stages[s].From},{Stages[s].To})";
            Console.WriteLine($"{stage,-10}one {Row(a)}  sum {a.Sum(),6:0.0}");
            Console.WriteLine($"{"",-10}two {Row(b)}  sum {b.Sum(),6:0.0}  extra {b.Sum() - a.Sum(),5:0.0}");
        }

        var (last, afterPause) = (PerStep(one[^1]), PerStep(paused));
        Console.WriteLine($"{"",-10}one process, its UNet idle as long as the middle stage before the last:");
        Console.WriteLine($"{"",-10}    {Row(afterPause)}  sum {afterPause.Sum(),6:0.0}  extra {afterPause.Sum() - last.Sum(),5:0.0}");
        Console.WriteLine($"All {Steps} steps: one process {totalOne:0.0} ms, two {totalTwo:0.0} ms, ratio {totalTwo / totalOne:0.000}.");
    }
}
