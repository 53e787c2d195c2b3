namespace Meg.Execution;

/// <summary>How an image or sketch is represented on the link.</summary>
public enum ImageForm
{
    /// <summary>8-bit RGB pixels; on an analog link each is one real value centred on 127.5.</summary>
    RawPixels,

    /// <summary>PNG bytes: lossless, but one bit error can make the file undecodable. Digital links only (analog links send raw pixels).</summary>
    Png,

    /// <summary>JPEG bytes at <see cref="TransmissionOptions.JpegQuality"/> for generated images; the user's input image and
    /// sketches, drawings that JPEG smears, go as PNG. Digital links only (analog links send raw pixels).</summary>
    Jpeg,

    /// <summary>
    /// On an analog link, each colour plane minus its own mean (rounded to a byte), so no power is spent on the
    /// plane's average brightness; the means go digitally as side information (8 bits a plane, counted at the prompt's
    /// coded rate) and are added back at the receiver. On a digital link the bits of a mean-removed pixel are as many as
    /// those of the pixel, so this form is the same as <see cref="RawPixels"/> there.
    /// </summary>
    MeanRemoved,
}
