namespace Meg.AppHost;

/// <summary>
/// The services' HTTP endpoints, served by the services themselves. By default, in run mode, Aspire puts a relay
/// process (DCP's proxy) in front of every endpoint; a request through the gateway then crosses two relays each way,
/// which measured 3.3 ms per request against 1.2 without them (median of 250 status reads on this 2-core machine),
/// on every job's submission and answer. No service here has replicas or restarts behind a stable address, which is
/// what the relay is for. Published (the manifest azd uses), each service gets its one http binding, as before, and
/// the platform's ingress fronts the gateway.
/// </summary>
internal static class DirectEndpoints
{
    /// <summary>One HTTP endpoint named "http" that the service listens on itself: on <paramref name="port"/>, or on a
    /// free port that Aspire picks when it is null (then other services find it through service discovery).</summary>
    public static IResourceBuilder<ProjectResource> WithDirectHttpEndpoint(this IResourceBuilder<ProjectResource> project, int? port = null) =>
        project.WithHttpEndpoint(port: port, isProxied: false);
}
