namespace Meg.Load.Arrivals;

/// <summary>How requests arrive in an open-loop run.</summary>
public enum ArrivalKind
{
    /// <summary>Exponential gaps (SCV 1): independent users.</summary>
    Poisson,

    /// <summary>Gamma gaps with a chosen squared coefficient of variation: above 1 bursty, below 1 smoother than Poisson.</summary>
    Gamma,

    /// <summary>Equal gaps (SCV 0).</summary>
    Constant,

    /// <summary>The times (and protocols, items) of a recorded trace.</summary>
    Trace,
}

/// <summary>One planned request: when it is meant to go out (from the start of the run), which protocol and which held-out
/// item it uses.</summary>
public sealed record PlannedRequest(TimeSpan Offset, string Protocol, int Item);
