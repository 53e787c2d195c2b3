namespace Meg.Load.Theory;

/// <summary>
/// Mean queue waits of c identical servers fed by one queue, from the arrival rate and the service time's mean and
/// squared coefficient of variation (SCV): M/M/c exactly (Erlang C), M/D/c by Cosmetatos' approximation (exact for one
/// server, where it is Pollaczek-Khinchine's M/D/1), and G/G/c by Allen and Cunneen's. Times in the unit of the inputs;
/// NaN past saturation (utilisation 1 or more).
/// </summary>
public static class QueueingTheory
{
    /// <summary>Offered load per server: λ·E[S]/c.</summary>
    public static double Utilisation(double arrivalRate, double meanService, int servers) => arrivalRate * meanService / servers;

    /// <summary>Erlang C: the probability that an arrival waits, for offered load a = λ·E[S] on c servers.</summary>
    public static double ProbabilityOfWaiting(double offeredLoad, int servers)
    {
        var rho = offeredLoad / servers;
        if (rho >= 1)
        {
            return 1;
        }

        // Σ a^k/k! for k < c, and a^c/c!, built up term by term (no factorial overflow).
        double term = 1, sum = 0;
        for (var k = 0; k < servers; k++)
        {
            sum += term;
            term *= offeredLoad / (k + 1);
        }

        var last = term / (1 - rho);
        return last / (sum + last);
    }

    public static double WaitMMc(double arrivalRate, double meanService, int servers)
    {
        var rho = Utilisation(arrivalRate, meanService, servers);
        return rho >= 1 ? double.NaN : ProbabilityOfWaiting(arrivalRate * meanService, servers) * meanService / (servers * (1 - rho));
    }

    /// <summary>Cosmetatos (1975): half the M/M/c wait, corrected for c > 1.</summary>
    public static double WaitMDc(double arrivalRate, double meanService, int servers)
    {
        var rho = Utilisation(arrivalRate, meanService, servers);
        if (rho >= 1)
        {
            return double.NaN;
        }

        var correction = 1 + (1 - rho) * (servers - 1) * (Math.Sqrt(4 + 5.0 * servers) - 2) / (16 * rho * servers);
        return 0.5 * WaitMMc(arrivalRate, meanService, servers) * correction;
    }

    /// <summary>Allen-Cunneen: the M/M/c wait scaled by the mean of the arrival and service SCVs.</summary>
    public static double WaitGGc(double arrivalRate, double meanService, int servers, double arrivalScv, double serviceScv) =>
        WaitMMc(arrivalRate, meanService, servers) * (arrivalScv + serviceScv) / 2;

    /// <summary>Little's law: the mean number waiting is the arrival rate times the mean wait.</summary>
    public static double QueueLength(double arrivalRate, double meanWait) => arrivalRate * meanWait;
}
