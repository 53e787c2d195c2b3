using System.Net;
using System.Net.Sockets;
using Meg.AppHost;

namespace Meg.Distributed.IntegrationTests;

/// <summary>The local Redis and RabbitMQ (and RabbitMQ's epmd) each need their own port: asking the operating system
/// for a free port several times in a row can give the same one twice.</summary>
public sealed class FreePortsTests
{
    [Fact]
    public void Every_port_handed_out_is_different_and_free()
    {
        var ports = new FreePorts();
        var given = Enumerable.Range(0, 300).Select(_ => ports.Next()).ToArray();

        Assert.Equal(given.Length, given.Distinct().Count());
        Assert.All(given, port => Assert.InRange(port, 1, 65535));
        using var listener = new TcpListener(IPAddress.Loopback, given[^1]);
        listener.Start(); // still free: nothing holds a port after it is handed out
    }
}
