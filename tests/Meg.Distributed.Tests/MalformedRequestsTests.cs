using Meg.Chaos.Fuzzing;

namespace Meg.Distributed.Tests;

public sealed class MalformedRequestsTests
{
    [Fact]
    public void The_same_seed_gives_the_same_requests_and_every_kind_is_there()
    {
        var first = MalformedRequests.Generate(300, 5, InMemoryJobTests.Sketch);
        var again = MalformedRequests.Generate(300, 5, InMemoryJobTests.Sketch);
        var other = MalformedRequests.Generate(300, 6, InMemoryJobTests.Sketch);

        Assert.Equal(300, first.Count);
        Assert.Equal(first.Select(c => Convert.ToBase64String(c.Body ?? [])), again.Select(c => Convert.ToBase64String(c.Body ?? [])));
        Assert.NotEqual(first.Select(c => c.What), other.Select(c => c.What));
        Assert.Equal(["types", "encodings", "sizes", "headers", "images", "ids", "methods", "queries", "mutations"], first.Select(c => c.Kind).Distinct());
    }
}
