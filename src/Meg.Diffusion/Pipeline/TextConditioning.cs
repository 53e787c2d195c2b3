namespace Meg.Diffusion.Pipeline;

/// <summary>The prompt's hidden states and, for guidance, those of the empty prompt: [L, D] each.</summary>
public sealed record TextConditioning(float[] Prompt, float[] Empty, int Length, int Width);
