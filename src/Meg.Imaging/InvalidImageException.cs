namespace Meg.Imaging;

/// <summary>Bytes or a file that could not be decoded as an image; says which file (when known) and why.</summary>
public sealed class InvalidImageException : Exception
{
    public InvalidImageException(string reason, string? path = null, Exception? inner = null)
        : base(Describe(reason, path), inner)
    {
        Reason = reason;
        Path = path;
    }

    /// <summary>Why decoding failed, e.g. "not a recognised image format".</summary>
    public string Reason { get; }

    /// <summary>The file that failed, or null for in-memory bytes.</summary>
    public string? Path { get; }

    private static string Describe(string reason, string? path) =>
        (path is null ? "Image bytes could not be decoded: " : $"Image file '{path}' could not be decoded: ")
        + reason + ". Accepted: PNG (8/16-bit, gray, RGB, palette, with or without alpha), JPEG, WebP, BMP, GIF.";
}
