using System.Numerics.Tensors;
using Meg.Diffusion.Models;

namespace Meg.Diffusion.Pipeline;

/// <summary>
/// One denoising step for a set of items in one UNet call: every item at its own step and timestep, with its own text
/// states, sketch condition and guidance scale; guided items bring their empty-prompt and prompt rows side by side.
/// The only denoising step in MEG: a fixed batch (<see cref="DiffusionPipeline.DenoiseBatch"/>) and the step-level
/// batcher that lets jobs join and leave between steps (<see cref="ModelBatcher"/>) both run it.
/// </summary>
public static class DenoiseStep
{
    /// <summary>Advances each item one step. With a UNet that takes one timestep per call, items at different timesteps
    /// run in one call per timestep.</summary>
    public static void Run(UNetModel unet, IReadOnlyList<DenoiseItem> items)
    {
        if (items.Count == 0)
        {
            return;
        }

        if (unet.PerSampleTimesteps || items.All(i => i.Timestep == items[0].Timestep))
        {
            RunOneCall(unet, items);
            return;
        }

        foreach (var group in items.GroupBy(i => i.Timestep))
        {
            RunOneCall(unet, group.ToArray());
        }
    }

    private static void RunOneCall(UNetModel unet, IReadOnlyList<DenoiseItem> items)
    {
        var first = items[0];
        int height = first.Latent.Height, width = first.Latent.Width, size = first.Latent.Length;
        int textLength = first.Text.Length, textWidth = first.Text.Width, contextSize = textLength * textWidth;
        foreach (var item in items)
        {
            if (item.Done || item.Latent.Length != size || item.Text.Length != textLength || item.Text.Width != textWidth)
            {
                throw new ArgumentException("Items of one step must be unfinished and share the latent's and the text states' shapes.", nameof(items));
            }
        }

        var rows = items.Sum(i => i.Rows);
        var itemSize = unet.InputChannels * height * width;
        var sample = new float[rows * itemSize];
        var context = new float[rows * contextSize];
        var timesteps = new int[rows];
        var row = 0;
        foreach (var item in items)
        {
            // The empty prompt's row first, then the prompt's: the order the guidance below reads them in.
            if (item.Guided)
            {
                Fill(item, item.Text.Empty, row++);
            }

            Fill(item, item.Text.Prompt, row++);
        }

        var output = unet.Predict(sample, rows, height, width, timesteps, context, textLength, textWidth);
        var guided = new float[size];
        row = 0;
        foreach (var item in items)
        {
            if (item.Guided)
            {
                // uncond + g * (cond - uncond)
                var uncond = output.AsSpan(row++ * size, size);
                var cond = output.AsSpan(row++ * size, size);
                TensorPrimitives.Subtract(cond, uncond, guided);
                TensorPrimitives.MultiplyAdd(guided, (float)item.Settings.Guidance, uncond, guided);
                item.Advance(guided);
            }
            else
            {
                item.Advance(output.AsSpan(row++ * size, size));
            }
        }

        void Fill(DenoiseItem item, float[] text, int r)
        {
            var offset = r * itemSize;
            item.Sampler.ScaleModelInput(item.Latent.Data, sample.AsSpan(offset, size), item.Step);
            if (unet.SketchConditioned)
            {
                // InstructPix2Pix layout: the sketch latent rides beside the noisy latent every step (zeros without one).
                item.Condition?.Data.CopyTo(sample.AsSpan(offset + size, size));
            }

            text.CopyTo(context, r * contextSize);
            timesteps[r] = item.Timestep;
        }
    }
}
