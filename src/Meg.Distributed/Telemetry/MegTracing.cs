using System.Diagnostics;

namespace Meg.Distributed.Telemetry;

/// <summary>
/// The services' own spans (activity source "Meg.Services"), inside MassTransit's and ASP.NET Core's: a command's
/// loads, each stage's model run or transfer's channel crossing, its stores, the release of the commands after it (the
/// sends are MassTransit's spans) and its record; the jobs API's storing and the image request's wait. A job's trace in the dashboard then shows where a
/// hop's time went. Each span carries the job (<c>meg.job</c>), the plan step where there is one (<c>meg.step</c>) and
/// what its time was spent on (<c>meg.part</c>, one of <see cref="Parts"/>).
/// </summary>
public static class MegTracing
{
    public const string SourceName = "Meg.Services";

    private static readonly ActivitySource Source = new(SourceName);

    /// <summary>What a span's time was spent on (tag <c>meg.part</c>).</summary>
    public static class Parts
    {
        /// <summary>In the model (a stage) or the channel (a transfer).</summary>
        public const string Compute = "compute";

        /// <summary>Reading from or writing to Redis: payloads, job records, the join sets, progress.</summary>
        public const string Storage = "storage";

        /// <summary>An image request waiting for its job to end.</summary>
        public const string Waiting = "waiting";

        /// <summary>Encoding the answer (the PNG).</summary>
        public const string Encoding = "encoding";
    }

    /// <summary>Starts a span of the current trace, or none when nobody records it (no listener, or the trace is not
    /// sampled): dispose it to end it.</summary>
    public static Activity? Start(string name, string part, Guid job, int? step = null)
    {
        var activity = Source.StartActivity(name);
        if (activity is { IsAllDataRequested: true })
        {
            activity.SetTag("meg.part", part);
            activity.SetTag("meg.job", job.ToString("N"));
            if (step is { } index)
            {
                activity.SetTag("meg.step", index);
            }
        }

        return activity;
    }
}
