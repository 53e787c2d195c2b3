using Meg.Cli.Commands;
using Meg.Cli.Jobs;

namespace Meg.Cli.Tests;

/// <summary>What meg submit reads from a job's event stream, and the page URL meg up prints.</summary>
public sealed class ServerSentEventsTests
{
    [Fact]
    public async Task Events_come_with_their_names_and_data_and_keep_alive_comments_are_skipped()
    {
        var stream = ": keep-alive\n\nevent: state\ndata: {\"state\":\"queued\"}\n\nevent: step\ndata: {\"a\":1,\ndata: \"b\":2}\n\ndata: plain\n\nevent: end\ndata: {}\n";

        var events = new List<(string Type, string Data)>();
        await foreach (var e in ServerSentEvents.ReadAsync(new StringReader(stream)))
        {
            events.Add(e);
        }

        // The last event has no blank line after it: the stream ended mid-event, so it is not told.
        Assert.Equal([("state", "{\"state\":\"queued\"}"), ("step", "{\"a\":1,\n\"b\":2}"), ("message", "plain")], events);
    }

    [Fact]
    public void The_web_page_URL_carries_the_key_in_its_fragment_and_none_without_access_control()
    {
        Assert.Equal("http://localhost:5080/#key=meg_abc%2B1", UpCommand.WebPageUrl("meg_abc+1"));
        Assert.Equal("http://localhost:5080/", UpCommand.WebPageUrl(null));
    }
}
