using Meg.Distributed.Admission;
using Meg.Protocols.Plans;

namespace Meg.Distributed.Nodes;

/// <summary>Errors that retrying cannot fix: the step is reported failed at once instead of retried.</summary>
internal static class StepFailures
{
    public static bool IsPermanent(Exception e) =>
        e is QueueTimeoutException or ArgumentException or PlanValidationException or FormatException or InvalidOperationException or DirectoryNotFoundException or FileNotFoundException;
}
