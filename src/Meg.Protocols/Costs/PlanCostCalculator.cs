using Meg.Protocols.Plans;

namespace Meg.Protocols.Costs;

/// <summary>Counts model evaluations per node and values, bits and channel uses per transfer.</summary>
public static class PlanCostCalculator
{
    public static PlanCost Compute(ProtocolPlan plan, ModelDimensions model, AccountingOptions? options = null)
    {
        options = (options ?? new AccountingOptions()).Validate();
        model.Validate();
        var work = plan.Nodes.Select(node => WorkOf(plan, node, options)).ToArray();
        var transfers = plan.Transfers.Select(t => new TransferCost(t, LoadOf(t.Artifacts, model, options))).ToArray();
        return new PlanCost(plan, model, work, transfers);
    }

    /// <summary>The load of a set of artifacts sent together; the prompt is digital (coded, see <see cref="AccountingOptions.PromptChannelUses"/>), everything else analog.</summary>
    public static PayloadLoad LoadOf(IEnumerable<Artifact> artifacts, ModelDimensions model, AccountingOptions options)
    {
        var load = PayloadLoad.Zero;
        foreach (var a in artifacts)
        {
            // Colour planes of an image payload: a greyscale sketch goes as one.
            var planes = a.Kind == ArtifactKind.Sketch && options.GreySketches ? 1 : 3;
            var (values, bitsPerValue) = a.Kind switch
            {
                ArtifactKind.Prompt => ((long)options.PromptBytes, 8),
                ArtifactKind.InputImage or ArtifactKind.Image => (model.ImageValues, 8),
                ArtifactKind.Sketch => (model.SketchValues(a.SketchSide) / 3 * planes, 8),
                ArtifactKind.TextEmbedding => (model.TextEmbeddingValues, 32),
                _ => (model.LatentValues, options.SeedBitsPerValue),
            };
            var bits = values * bitsPerValue;
            var uses = a.Kind == ArtifactKind.Prompt
                ? options.PromptChannelUses(bits)
                : (values + 1) / 2; // two real values make one complex symbol
            if (options.MeanRemovedImages && a.Kind is ArtifactKind.InputImage or ArtifactKind.Image or ArtifactKind.Sketch)
            {
                // One 8-bit mean per plane sent, digitally like the prompt.
                bits += 8 * planes;
                uses += options.PromptChannelUses(8 * planes);
            }

            load += new PayloadLoad(values, bits, uses, uses / options.BandwidthHz);
        }

        return load;
    }

    private static NodeWork WorkOf(ProtocolPlan plan, NodeId node, AccountingOptions options)
    {
        var stages = plan.Stages.Where(s => s.Node == node).ToArray();
        var perStep = options.ClassifierFreeGuidance ? 2 : 1;
        int text = 0, encode = 0, unet = 0, decode = 0;
        foreach (var stage in stages)
        {
            switch (stage.Kind)
            {
                case StageKind.TextEncode:
                    text += perStep; // prompt and, with guidance, the empty prompt
                    break;
                case StageKind.VaeEncode:
                    encode++;
                    break;
                case StageKind.Denoise:
                    unet += (stage.ToStep - stage.FromStep) * perStep;
                    break;
                case StageKind.VaeDecode:
                    decode++;
                    break;
                case StageKind.MakeSketch:
                    break; // a resize of the decoded image: no model evaluation
                case StageKind.CompleteSketch:
                    text += perStep;
                    encode += plan.SketchConditioned && stage.UseInputAsCondition ? 2 : 1;
                    unet += (plan.TotalSteps - stage.CompletionStartStep) * perStep;
                    decode++;
                    break;
            }
        }

        return new NodeWork(node, text, encode, unet, decode, stages);
    }
}
