using System.Net;
using System.Net.Sockets;

namespace Meg.AppHost;

/// <summary>
/// Hands out free TCP ports on 127.0.0.1 for the local servers, each port once. The operating system is asked for a
/// free port and the probe is closed at once, so two probes in a row can get the same number (it happened: RabbitMQ's
/// AMQP port and its epmd's port came out equal, and the broker never started); every port handed out is remembered.
/// </summary>
internal sealed class FreePorts
{
    private readonly HashSet<int> _given = [];

    public int Next()
    {
        for (var attempt = 0; attempt < 100; attempt++)
        {
            using var probe = new TcpListener(IPAddress.Loopback, 0);
            probe.Start();
            var port = ((IPEndPoint)probe.LocalEndpoint).Port;
            if (_given.Add(port))
            {
                return port;
            }
        }

        throw new InvalidOperationException("Found no free TCP port on 127.0.0.1 that was not already given out in 100 tries.");
    }
}
