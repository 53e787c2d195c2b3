using System.Collections.Concurrent;
using System.IO.Compression;
using System.Net;
using System.Net.Sockets;

namespace Meg.Tracing;

/// <summary>
/// An OTLP/HTTP endpoint on loopback that keeps the spans the services export (<c>POST /v1/traces</c>, protobuf), by
/// trace, so the benchmark can tell from the traces where a job's time went. Metrics and logs are acknowledged and
/// dropped. Point a service at it with OTEL_EXPORTER_OTLP_ENDPOINT=<see cref="Endpoint"/> and
/// OTEL_EXPORTER_OTLP_PROTOCOL=http/protobuf.
/// </summary>
public sealed class OtlpTraceReceiver : IAsyncDisposable
{
    private readonly HttpListener _listener = new();
    private readonly ConcurrentDictionary<string, ConcurrentQueue<TraceSpan>> _traces = new();
    private readonly Task _serving;
    private int _failures;

    public OtlpTraceReceiver()
    {
        Endpoint = new Uri($"http://127.0.0.1:{FreePort()}/");
        _listener.Prefixes.Add(Endpoint.ToString());
        _listener.Start();
        _serving = Task.Run(ServeAsync);
    }

    public Uri Endpoint { get; }

    /// <summary>Sets in <paramref name="environment"/> what makes a service export its traces here as
    /// <paramref name="service"/>, in batches a second apart (as Aspire has them sent to its dashboard); metrics rarely,
    /// since nobody reads them here.</summary>
    public void ExportTo(IDictionary<string, object> environment, string service)
    {
        environment["OTEL_EXPORTER_OTLP_ENDPOINT"] = Endpoint.ToString().TrimEnd('/');
        environment["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf";
        environment["OTEL_SERVICE_NAME"] = service;
        environment["OTEL_BSP_SCHEDULE_DELAY"] = "1000";
        environment["OTEL_METRIC_EXPORT_INTERVAL"] = "60000";
    }

    /// <summary>Exports that could not be read (they are answered 400 and counted here).</summary>
    public int Failures => _failures;

    /// <summary>The spans received so far of <paramref name="traceId"/> (32 lowercase hex digits).</summary>
    public IReadOnlyList<TraceSpan> Trace(string traceId) => _traces.TryGetValue(traceId, out var spans) ? spans.ToArray() : [];

    /// <summary>Waits until <paramref name="complete"/> holds for the spans of <paramref name="traceId"/>, or
    /// <paramref name="timeout"/> passes (the exporters send in batches, about once a second).</summary>
    public async Task<IReadOnlyList<TraceSpan>> WaitForAsync(string traceId, Func<IReadOnlyList<TraceSpan>, bool> complete, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var spans = Trace(traceId);
            if (complete(spans) || DateTime.UtcNow >= deadline)
            {
                return spans;
            }

            await Task.Delay(100);
        }
    }

    private async Task ServeAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return; // stopped
            }

            var response = context.Response;
            try
            {
                if (context.Request.HttpMethod == "POST" && context.Request.Url?.AbsolutePath == "/v1/traces")
                {
                    using var body = new MemoryStream();
                    var input = context.Request.Headers["Content-Encoding"] == "gzip"
                        ? new GZipStream(context.Request.InputStream, CompressionMode.Decompress)
                        : context.Request.InputStream;
                    await input.CopyToAsync(body);
                    foreach (var span in OtlpTraceDecoder.Decode(body.GetBuffer().AsSpan(0, (int)body.Length)))
                    {
                        _traces.GetOrAdd(span.TraceId, _ => new ConcurrentQueue<TraceSpan>()).Enqueue(span);
                    }
                }

                // An empty Export*ServiceResponse: everything accepted.
                response.StatusCode = 200;
                response.ContentType = "application/x-protobuf";
            }
            catch (Exception e) when (e is FormatException or IndexOutOfRangeException or ArgumentOutOfRangeException or InvalidDataException or OverflowException)
            {
                Interlocked.Increment(ref _failures);
                response.StatusCode = 400;
            }
            finally
            {
                response.Close();
            }
        }
    }

    private static int FreePort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }

    public async ValueTask DisposeAsync()
    {
        _listener.Stop();
        _listener.Close();
        await _serving;
    }
}
