using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.ML.Tokenizers;

namespace Meg.Diffusion.Tokenizers;

/// <summary>
/// CLIP's byte-level BPE over a <c>vocab.json</c> + <c>merges.txt</c> pair: lower-cased text split by
/// CLIP's word pattern, each word's UTF-8 bytes mapped to printable characters, BPE with the
/// <c>&lt;/w&gt;</c> end-of-word suffix, start and end tokens, padded to the model's length.
/// </summary>
public sealed partial class ClipTokenizer
{
    private const string StartToken = "<|startoftext|>";
    private const string EndToken = "<|endoftext|>";

    private static readonly string[] ByteToChar = BuildByteMap();

    private readonly BpeTokenizer _bpe;

    private ClipTokenizer(BpeTokenizer bpe, int maxLength, int startId, int endId, int padId)
    {
        _bpe = bpe;
        MaxLength = maxLength;
        StartId = startId;
        EndId = endId;
        PadId = padId;
    }

    /// <summary>Tokens per prompt after padding (77 for Stable Diffusion).</summary>
    public int MaxLength { get; }

    public int StartId { get; }

    public int EndId { get; }

    public int PadId { get; }

    /// <summary>Loads a Hugging Face CLIP tokenizer folder (vocab.json, merges.txt, optional configs).</summary>
    public static ClipTokenizer Load(string folder)
    {
        var vocabPath = Path.Combine(folder, "vocab.json");
        var mergesPath = Path.Combine(folder, "merges.txt");
        foreach (var path in new[] { vocabPath, mergesPath })
        {
            if (!File.Exists(path))
            {
                throw new FileNotFoundException($"Tokenizer file not found: {path}", path);
            }
        }

        var vocab = JsonSerializer.Deserialize<Dictionary<string, int>>(File.ReadAllText(vocabPath))
                    ?? throw new InvalidDataException($"{vocabPath} is empty.");
        int Id(string token) => vocab.TryGetValue(token, out var id) ? id : throw new InvalidDataException($"{vocabPath} has no '{token}' token.");
        var maxLength = ReadMaxLength(Path.Combine(folder, "tokenizer_config.json"));
        var padToken = ReadPadToken(Path.Combine(folder, "special_tokens_map.json")) ?? EndToken;
        using var vocabStream = File.OpenRead(vocabPath);
        using var mergesStream = File.OpenRead(mergesPath);
        var bpe = BpeTokenizer.Create(vocabStream, mergesStream, preTokenizer: null, normalizer: null,
            specialTokens: null, unknownToken: null, continuingSubwordPrefix: null, endOfWordSuffix: "</w>", fuseUnknownTokens: false);
        return new ClipTokenizer(bpe, maxLength, Id(StartToken), Id(EndToken), Id(padToken));
    }

    /// <summary>Token ids of <paramref name="text"/>: start, words (truncated to fit), end, then padding.</summary>
    public long[] Encode(string text)
    {
        var ids = new List<long>(MaxLength) { StartId };
        foreach (Match word in WordPattern().Matches(Clean(text)))
        {
            foreach (var id in _bpe.EncodeToIds(ToByteCharacters(word.Value)))
            {
                if (ids.Count < MaxLength - 1)
                {
                    ids.Add(id);
                }
            }
        }

        ids.Add(EndId);
        while (ids.Count < MaxLength)
        {
            ids.Add(PadId);
        }

        return ids.ToArray();
    }

    private static string Clean(string text) => WhitespacePattern().Replace(text.Normalize(NormalizationForm.FormC).Trim(), " ").ToLowerInvariant();

    private static string ToByteCharacters(string word)
    {
        var builder = new StringBuilder();
        foreach (var b in Encoding.UTF8.GetBytes(word))
        {
            builder.Append(ByteToChar[b]);
        }

        return builder.ToString();
    }

    /// <summary>GPT-2/CLIP's reversible map from bytes to printable unicode characters.</summary>
    private static string[] BuildByteMap()
    {
        var printable = Enumerable.Range('!', '~' - '!' + 1).Concat(Enumerable.Range('¡', '¬' - '¡' + 1)).Concat(Enumerable.Range('®', 'ÿ' - '®' + 1)).ToHashSet();
        var map = new string[256];
        var next = 256;
        for (var b = 0; b < 256; b++)
        {
            map[b] = printable.Contains(b) ? ((char)b).ToString() : ((char)next++).ToString();
        }

        return map;
    }

    private static int ReadMaxLength(string path)
    {
        if (!File.Exists(path))
        {
            return 77;
        }

        using var doc = JsonDocument.Parse(File.ReadAllText(path));
        return doc.RootElement.TryGetProperty("model_max_length", out var v) && v.TryGetInt32(out var n) && n is > 2 and < 100_000 ? n : 77;
    }

    private static string? ReadPadToken(string path)
    {
        if (!File.Exists(path))
        {
            return null;
        }

        using var doc = JsonDocument.Parse(File.ReadAllText(path));
        if (!doc.RootElement.TryGetProperty("pad_token", out var pad))
        {
            return null;
        }

        return pad.ValueKind == JsonValueKind.String ? pad.GetString() : pad.TryGetProperty("content", out var c) ? c.GetString() : null;
    }

    [GeneratedRegex(@"<\|startoftext\|>|<\|endoftext\|>|'s|'t|'re|'ve|'m|'ll|'d|\p{L}+|\p{N}|[^\s\p{L}\p{N}]+", RegexOptions.IgnoreCase)]
    private static partial Regex WordPattern();

    [GeneratedRegex(@"\s+")]
    private static partial Regex WhitespacePattern();
}
