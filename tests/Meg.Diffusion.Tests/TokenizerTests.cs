using Meg.Diffusion.Tokenizers;

namespace Meg.Diffusion.Tests;

public class TokenizerTests
{
    private static readonly ClipTokenizer Tokenizer = ClipTokenizer.Load(Path.Combine(RepositoryLayout.TestFixture("fp32-int64"), "tokenizer"));

    [Theory]
    [InlineData("a r\uFFFDd st\uFFFD\uFFFDr")]
    [InlineData("\0\u0001\u007f\t\r\n")]
    [InlineData("\uFFFD\uFFFD\uFFFD")]
    [InlineData("a red \u00e9\u4e2d\U0001F600 star")]
    public void A_prompt_damaged_by_bit_errors_still_encodes(string damaged)
    {
        var ids = Tokenizer.Encode(damaged);

        Assert.Equal(Tokenizer.MaxLength, ids.Length);
        Assert.Equal(Tokenizer.StartId, ids[0]);
        Assert.Contains(Tokenizer.EndId, ids);
    }

    [Fact]
    public void Known_words_become_single_tokens_between_start_and_end_then_padding()
    {
        var ids = Tokenizer.Encode("A red   circle");

        Assert.Equal(Tokenizer.MaxLength, ids.Length);
        Assert.Equal(Tokenizer.StartId, ids[0]);
        Assert.Equal(Tokenizer.EndId, ids[4]);
        Assert.All(ids[5..], id => Assert.Equal(Tokenizer.PadId, id));
        Assert.Equal(3, ids[1..4].Distinct().Count());
    }

    [Fact]
    public void Unknown_words_fall_back_to_byte_level_characters()
    {
        var ids = Tokenizer.Encode("zq");

        Assert.Equal(Tokenizer.StartId, ids[0]);
        Assert.Equal(Tokenizer.EndId, ids[3]); // 'z' and 'q</w>'
    }

    [Fact]
    public void Long_prompts_are_truncated_keeping_the_end_token()
    {
        var ids = Tokenizer.Encode(string.Join(" ", Enumerable.Repeat("red", 50)));

        Assert.Equal(Tokenizer.MaxLength, ids.Length);
        Assert.Equal(Tokenizer.EndId, ids[^1]);
    }
}

public class ShippedTokenizerTests
{
    private sealed record Reference(string Prompt, long[] Ids);

    [Fact]
    public void The_shipped_tokenizer_gives_the_training_tools_token_ids()
    {
        var tokenizer = ClipTokenizer.Load(Path.Combine(RepositoryLayout.ShippedModel, "tokenizer"));
        var references = System.Text.Json.JsonSerializer.Deserialize<Reference[]>(
            File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "data", "tokenizer_reference.json")),
            new System.Text.Json.JsonSerializerOptions { PropertyNameCaseInsensitive = true })!;

        Assert.NotEmpty(references);
        foreach (var reference in references)
        {
            Assert.Equal(reference.Ids, tokenizer.Encode(reference.Prompt));
        }
    }
}
