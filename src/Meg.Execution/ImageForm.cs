namespace Meg.Execution;

/// <summary>How an image or sketch is represented on a digital link.</summary>
public enum ImageForm
{
    /// <summary>8-bit RGB pixels.</summary>
    RawPixels,

    /// <summary>PNG bytes: lossless, but one bit error can make the file undecodable.</summary>
    Png,

    /// <summary>JPEG bytes at <see cref="TransmissionOptions.JpegQuality"/>.</summary>
    Jpeg,
}
