using System.Runtime.CompilerServices;
using System.Text;

namespace Meg.Cli.Jobs;

/// <summary>Reads a text/event-stream: each event's name (default "message") and its data lines joined; comment lines
/// (keep-alives) are skipped.</summary>
public static class ServerSentEvents
{
    public static async IAsyncEnumerable<(string Type, string Data)> ReadAsync(TextReader reader, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var (type, data) = ("message", new StringBuilder());
        while (await reader.ReadLineAsync(cancellationToken) is { } line)
        {
            if (line.Length == 0)
            {
                if (data.Length > 0)
                {
                    yield return (type, data.ToString());
                }

                (type, data) = ("message", new StringBuilder());
            }
            else if (line.StartsWith("event:", StringComparison.Ordinal))
            {
                type = line[6..].Trim();
            }
            else if (line.StartsWith("data:", StringComparison.Ordinal))
            {
                data.Append(data.Length > 0 ? "\n" : "").Append(line[5..].TrimStart());
            }
        }
    }
}
