namespace Meg.Protocols.Plans;

/// <summary>A piece of data that exists on a node while a plan runs.</summary>
public enum ArtifactKind
{
    /// <summary>The request's text prompt (travels as UTF-8 text, digitally).</summary>
    Prompt,

    /// <summary>The user's image-to-image input (the sketch drawn by the user), full resolution RGB.</summary>
    InputImage,

    /// <summary>The text encoder's hidden states for the prompt.</summary>
    TextEmbedding,

    /// <summary>The VAE encoding of the input image: the condition of a sketch-conditioned UNet,
    /// or the starting point of Stable-Diffusion-style image-to-image.</summary>
    InputLatent,

    /// <summary>The denoising state after a given number of steps (a "seed" when it travels).</summary>
    Latent,

    /// <summary>A full-resolution RGB output image.</summary>
    Image,

    /// <summary>A low-resolution RGB image meant to be completed by the receiver.</summary>
    Sketch,
}
