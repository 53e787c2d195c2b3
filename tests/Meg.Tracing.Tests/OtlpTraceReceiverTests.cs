using System.Diagnostics;
using Meg.Tracing;
using OpenTelemetry;
using OpenTelemetry.Exporter;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
using SpanKind = Meg.Tracing.SpanKind;

namespace Meg.Tracing.Tests;

/// <summary>The OTLP receiver reads back what OpenTelemetry's OTLP exporter (the services' own) sends it.</summary>
public sealed class OtlpTraceReceiverTests
{
    [Fact]
    public async Task Spans_sent_by_the_OTLP_exporter_come_back_with_their_tree_kinds_times_and_attributes()
    {
        await using var receiver = new OtlpTraceReceiver();
        using var source = new ActivitySource("Meg.Tests.Otlp");
        using var provider = Sdk.CreateTracerProviderBuilder()
            .AddSource(source.Name)
            .ConfigureResource(r => r.AddService("test-service"))
            .AddOtlpExporter(o =>
            {
                o.Endpoint = new Uri(receiver.Endpoint, "v1/traces");
                o.Protocol = OtlpExportProtocol.HttpProtobuf;
            })
            .Build();

        string trace, parentId, childId;
        using (var parent = source.StartActivity("parent", ActivityKind.Server)!)
        {
            (trace, parentId) = (parent.TraceId.ToHexString(), parent.SpanId.ToHexString());
            using var child = source.StartActivity("child", ActivityKind.Producer)!;
            child.SetTag("meg.step", 3);
            child.SetTag("meg.part", "storage");
            child.SetTag("hit", true);
            child.SetTag("share", 0.25);
            childId = child.SpanId.ToHexString();
        }

        Assert.True(provider.ForceFlush(10_000));
        var spans = await receiver.WaitForAsync(trace, s => s.Count == 2, TimeSpan.FromSeconds(10));

        Assert.Equal(0, receiver.Failures);
        var read = Assert.Single(spans, s => s.Name == "child");
        Assert.Equal((childId, parentId, SpanKind.Producer), (read.SpanId, read.ParentSpanId, read.Kind));
        Assert.Equal(("test-service", "Meg.Tests.Otlp"), (read.Service, read.Scope));
        Assert.Equal(3L, read.Attributes["meg.step"]);
        Assert.Equal("3", read.Tag("meg.step"));
        Assert.Equal("storage", read.Tag("meg.part"));
        Assert.Equal(true, read.Attributes["hit"]);
        Assert.Equal(0.25, read.Attributes["share"]);
        Assert.InRange(read.EndUnixNano - read.StartUnixNano, 0, TimeSpan.FromSeconds(10).Ticks * 100);
        var root = Assert.Single(spans, s => s.Name == "parent");
        Assert.Equal(SpanKind.Server, root.Kind);
        Assert.True(root.StartUnixNano <= read.StartUnixNano && read.EndUnixNano <= root.EndUnixNano);
    }

    [Fact]
    public async Task A_body_that_is_not_an_OTLP_export_is_refused_and_counted()
    {
        await using var receiver = new OtlpTraceReceiver();
        using var http = new HttpClient();

        // Field 1, length-delimited, with a length that runs past the body.
        using var response = await http.PostAsync(new Uri(receiver.Endpoint, "v1/traces"), new ByteArrayContent([0x0A, 0x7F, 0x01]));

        Assert.Equal(System.Net.HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(1, receiver.Failures);
    }
}
