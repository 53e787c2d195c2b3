using System.Globalization;

namespace Meg.AppHost;

/// <summary>
/// Head sampling of the services' traces (Meg:TraceSampling, 0-1; 1 keeps every trace). Under load the dashboard
/// spends a good share of a core taking every span in, on the cores the edge servers need. A job's first span
/// decides for its whole trace (parent-based), so a sampled job keeps all its spans; metrics and logs are unaffected.
/// </summary>
internal static class TraceSampling
{
    /// <summary>Sets the sampler on every project added so far: call it once all the services are in.</summary>
    public static void SampleServiceTraces(this IDistributedApplicationBuilder builder, double ratio)
    {
        if (ratio >= 1)
        {
            return;
        }

        foreach (var project in builder.Resources.OfType<ProjectResource>().ToList())
        {
            // After the OTLP settings AddProject wrote (which sample every trace): the later value wins.
            builder.CreateResourceBuilder(project)
                .WithEnvironment("OTEL_TRACES_SAMPLER", "parentbased_traceidratio")
                .WithEnvironment("OTEL_TRACES_SAMPLER_ARG", ratio.ToString(CultureInfo.InvariantCulture));
        }
    }
}
