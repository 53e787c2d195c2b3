using System.Globalization;

namespace Meg.AppHost;

/// <summary>
/// Head sampling of the services' traces (Meg:TraceSampling, 0-1; 1 keeps every trace). Under load the dashboard
/// spends a good share of a core taking every span in, on the cores the edge servers need. A job's first span
/// decides for its whole trace (parent-based), so a sampled job keeps all its spans; metrics and logs are unaffected.
/// </summary>
internal static class TraceSampling
{
    public static IResourceBuilder<ProjectResource> WithTraceSampling(this IResourceBuilder<ProjectResource> project, double ratio) =>
        ratio >= 1
            ? project
            // After the OTLP settings AddProject writes (which sample every trace): the later value wins.
            : project.WithEnvironment("OTEL_TRACES_SAMPLER", "parentbased_traceidratio")
                .WithEnvironment("OTEL_TRACES_SAMPLER_ARG", ratio.ToString(CultureInfo.InvariantCulture));
}
