using Microsoft.ML.OnnxRuntime;

namespace Meg.Diffusion.Models;

/// <summary>input_ids -> last_hidden_state [B, L, D] (and the pooled text_embeds when the export has them).</summary>
public sealed class TextEncoderModel : OnnxModelPart
{
    private readonly string _input;
    private readonly string _hidden;

    public TextEncoderModel(InferenceSession session) : base(session)
    {
        _input = RequireInput("input_ids");
        _hidden = RequireOutput("last_hidden_state");
        PooledOutput = OutputMetadata.ContainsKey("text_embeds") ? "text_embeds" : null;
    }

    /// <summary>Name of the pooled, projected output (CLIP-style score), if any.</summary>
    public string? PooledOutput { get; }

    /// <summary>Hidden states for a batch of token id rows, all of the same length.</summary>
    public (float[] Hidden, int Length, int Width) Encode(IReadOnlyList<long[]> tokenRows)
    {
        var (data, shape) = Run([(_input, Ids(tokenRows))], _hidden)[0];
        return (data, (int)shape[1], (int)shape[2]);
    }

    /// <summary>Pooled text embeddings [B, E].</summary>
    public (float[] Embeddings, int Width) EncodePooled(IReadOnlyList<long[]> tokenRows)
    {
        var name = PooledOutput ?? throw new InvalidOperationException("This text encoder export has no text_embeds output.");
        var (data, shape) = Run([(_input, Ids(tokenRows))], name)[0];
        return (data, (int)shape[1]);
    }

    private OrtValue Ids(IReadOnlyList<long[]> rows)
    {
        var length = rows[0].Length;
        if (rows.Any(r => r.Length != length))
        {
            throw new ArgumentException("All token rows must have the same length.", nameof(rows));
        }

        return IntegerInput(_input, rows.SelectMany(r => r).ToArray(), [rows.Count, length]);
    }
}
