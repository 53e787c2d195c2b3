namespace Meg.Distributed.Admission;

/// <summary>A command waited in its queue longer than its job allows: the job fails with this reason, not retried.</summary>
public sealed class QueueTimeoutException(string message) : Exception(message);
