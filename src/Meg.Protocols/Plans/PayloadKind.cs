namespace Meg.Protocols.Plans;

/// <summary>What a transfer carries, as the paper names it.</summary>
public enum PayloadKind
{
    /// <summary>Text, sent digitally.</summary>
    Prompt,

    /// <summary>Full-resolution RGB pixels (the user's input image or an output image).</summary>
    Image,

    /// <summary>A latent tensor cut out of the model part-way.</summary>
    Seed,

    /// <summary>A low-resolution image for the receiver to complete.</summary>
    Sketch,
}

public static class PayloadKinds
{
    public static PayloadKind Of(ArtifactKind kind) => kind switch
    {
        ArtifactKind.Prompt => PayloadKind.Prompt,
        ArtifactKind.InputImage or ArtifactKind.Image => PayloadKind.Image,
        ArtifactKind.Sketch => PayloadKind.Sketch,
        _ => PayloadKind.Seed,
    };

    public static string Name(this PayloadKind kind) => kind.ToString().ToLowerInvariant();
}
