namespace Meg.Protocols.Plans;

/// <summary>The model parts a plan can place on a node (letters as in MEG.md).</summary>
public enum StageKind
{
    /// <summary>T: tokenize and encode the prompt.</summary>
    TextEncode,

    /// <summary>E: VAE-encode the input image.</summary>
    VaeEncode,

    /// <summary>D[a,b): denoising steps a..b-1 of N.</summary>
    Denoise,

    /// <summary>V: VAE-decode the final latent to a full-resolution image.</summary>
    VaeDecode,

    /// <summary>S: make a low-resolution sketch of an image.</summary>
    MakeSketch,

    /// <summary>C: complete a received sketch by image-to-image (T, E, D[j,N), V in one stage).</summary>
    CompleteSketch,
}
