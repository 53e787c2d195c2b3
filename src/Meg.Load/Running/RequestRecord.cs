namespace Meg.Load.Running;

/// <summary>How a request ended, as the client saw it.</summary>
public static class Outcomes
{
    public const string Completed = "completed";
    public const string Refused = "refused";      // 503 from admission
    public const string TimedOut = "timed_out";   // failed by the queue timeout
    public const string Failed = "failed";        // failed for another reason
    public const string Rejected = "rejected";    // any other HTTP error
    public const string Unfinished = "unfinished"; // still running when the level's drain ended
}

/// <summary>One request of a load run: when it was meant to go and went, how it ended, and where its time went (from the
/// job's step records). Times in ms; <see cref="EndToEndMs"/> counts from the intended send time.</summary>
public sealed record RequestRecord(
    int Level,
    string Protocol,
    int Item,
    double IntendedMs,
    double SendLatenessMs,
    bool Warmup,
    string Outcome,
    int HttpStatus,
    Guid? JobId,
    double? EndToEndMs,
    double? RetryAfterS,
    string? Error,
    double EsWaitMs,
    double EsServiceMs,
    double UeWaitMs,
    double UeServiceMs,
    double ChannelMs,
    string EsWorkers);
