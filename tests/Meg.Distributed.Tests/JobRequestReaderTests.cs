using System.Text;
using Meg.Distributed.Jobs;

namespace Meg.Distributed.Tests;

/// <summary>JSON that does not fit a job request is refused with the field and what it accepts, never ignored.</summary>
public sealed class JobRequestReaderTests
{
    [Theory]
    [InlineData("""{"prompt": 123}""", "prompt", "a string")]
    [InlineData("""{"steps": 2.5}""", "steps", "a whole number")]
    [InlineData("""{"snrDb": "ten"}""", "snrDb", "a number")]
    [InlineData("""{"randomSeed": -1}""", "randomSeed", "from 0 to")]
    [InlineData("""{"seed": 7}""", "seed", "not a field of a job request")]
    [InlineData("", "body", "JSON object")]
    [InlineData("[1, 2]", "body", "JSON object")]
    [InlineData("null", "body", "JSON object")]
    [InlineData("""{"prompt": "a red st""", "body", "not valid JSON (line 1")]
    [InlineData("""{"steps": 5,}""", "body", "not valid JSON")]
    public async Task Json_that_does_not_fit_names_the_field(string body, string field, string says)
    {
        var (request, errors) = await ReadAsync(body);

        Assert.Null(request);
        var message = Assert.Single(Assert.Contains(field, errors));
        Assert.Contains(says, message);
    }

    [Fact]
    public async Task The_unknown_field_error_lists_the_fields_there_are()
    {
        var (_, errors) = await ReadAsync("""{"prompt": "a red star", "seed": 7}""");

        Assert.Contains("randomSeed", errors["seed"][0]);
        Assert.Contains("channelRandomSeed", errors["seed"][0]);
    }

    [Fact]
    public async Task A_fitting_body_is_read_with_defaults_for_what_it_leaves_out()
    {
        var (request, errors) = await ReadAsync("""{"prompt": "a red star", "sketch": "AAAA", "randomSeed": 11}""");

        Assert.Empty(errors);
        Assert.Equal("a red star", request!.Prompt);
        Assert.Equal(11UL, request.RandomSeed);
        Assert.Null(request.ChannelRandomSeed);
        Assert.Equal(20, request.Steps);
    }

    private static Task<(JobRequest? Request, Dictionary<string, string[]> Errors)> ReadAsync(string body) =>
        Task.FromResult(JobRequestReader.Read(Encoding.UTF8.GetBytes(body)));
}
