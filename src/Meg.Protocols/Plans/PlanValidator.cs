namespace Meg.Protocols.Plans;

/// <summary>
/// Walks a plan in order, tracking what each node holds, and rejects the first step whose input is not
/// on its node at that moment. The user device starts with the prompt and the input image.
/// </summary>
public static class PlanValidator
{
    public static void Validate(ProtocolPlan plan)
    {
        CheckShape(plan);
        var holdings = plan.Nodes.ToDictionary(n => n, _ => new HashSet<Artifact>());
        holdings[NodeId.UserEquipment].Add(Artifact.Prompt);
        holdings[NodeId.UserEquipment].Add(Artifact.InputImage);

        for (var i = 0; i < plan.Steps.Count; i++)
        {
            var step = plan.Steps[i];
            switch (step)
            {
                case Stage stage:
                    CheckStage(plan, stage, i);
                    Require(plan, step, i, stage.Node, holdings);
                    foreach (var output in stage.Outputs(plan))
                    {
                        holdings[stage.Node].Add(output);
                    }

                    break;
                case Transfer transfer:
                    CheckTransfer(plan, transfer, i);
                    Require(plan, step, i, transfer.From, holdings);
                    foreach (var artifact in transfer.Artifacts)
                    {
                        holdings[transfer.To].Add(artifact);
                    }

                    break;
                default:
                    throw new PlanValidationException(plan.Name, step, $"step {i + 1} is of unknown type {step.GetType().Name}.");
            }
        }

        for (var share = 0; share < plan.ImagesPerRequest; share++)
        {
            if (!holdings[NodeId.UserEquipment].Contains(Artifact.ImageOf(share)))
            {
                throw new PlanValidationException(plan.Name, null,
                    $"the user device never receives or makes {Artifact.ImageOf(share)}; every plan must end with each requested image on UE.");
            }
        }
    }

    private static void CheckShape(ProtocolPlan plan)
    {
        if (plan.TotalSteps < 1)
        {
            throw new PlanValidationException(plan.Name, null, $"TotalSteps must be at least 1, got {plan.TotalSteps}.");
        }

        if (plan.StartStep < 0 || plan.StartStep >= plan.TotalSteps)
        {
            throw new PlanValidationException(plan.Name, null,
                $"StartStep must be in [0, {plan.TotalSteps}), got {plan.StartStep}.");
        }

        if (plan.ImagesPerRequest < 1 || plan.EdgeServers < 1)
        {
            throw new PlanValidationException(plan.Name, null, "ImagesPerRequest and EdgeServers must be at least 1.");
        }
    }

    private static void CheckStage(ProtocolPlan plan, Stage stage, int index)
    {
        if (!plan.Nodes.Contains(stage.Node))
        {
            throw new PlanValidationException(plan.Name, stage,
                $"step {index + 1} '{stage.Describe()}' runs on {stage.Node}, which the plan does not have (it has {string.Join(", ", plan.Nodes)}).");
        }

        var perShare = stage.Kind is not (StageKind.TextEncode or StageKind.VaeEncode);
        if (perShare && (stage.Share < 0 || stage.Share >= plan.ImagesPerRequest))
        {
            throw new PlanValidationException(plan.Name, stage,
                $"step {index + 1} '{stage.Describe()}' works on image #{stage.Share}, but the request has images #0..#{plan.ImagesPerRequest - 1}.");
        }

        if (stage.Kind == StageKind.Denoise &&
            (stage.FromStep < plan.StartStep || stage.ToStep <= stage.FromStep || stage.ToStep > plan.TotalSteps))
        {
            throw new PlanValidationException(plan.Name, stage,
                $"step {index + 1} '{stage.Describe()}' needs {plan.StartStep} <= from < to <= {plan.TotalSteps}.");
        }

        if (stage.Kind == StageKind.CompleteSketch &&
            (stage.CompletionStartStep < 0 || stage.CompletionStartStep >= plan.TotalSteps))
        {
            throw new PlanValidationException(plan.Name, stage,
                $"step {index + 1} '{stage.Describe()}' must start completing in [0, {plan.TotalSteps}).");
        }

        if (stage.Kind is StageKind.MakeSketch or StageKind.CompleteSketch && stage.SketchSide < 1)
        {
            throw new PlanValidationException(plan.Name, stage,
                $"step {index + 1} '{stage.Describe()}' needs a sketch side of at least 1 pixel.");
        }
    }

    private static void CheckTransfer(ProtocolPlan plan, Transfer transfer, int index)
    {
        if (transfer.Artifacts.Count == 0)
        {
            throw new PlanValidationException(plan.Name, transfer, $"step {index + 1} transfers nothing.");
        }

        if (transfer.From == transfer.To || !plan.Nodes.Contains(transfer.From) || !plan.Nodes.Contains(transfer.To))
        {
            throw new PlanValidationException(plan.Name, transfer,
                $"step {index + 1} '{transfer.Describe()}' must go between two different nodes of {string.Join(", ", plan.Nodes)}.");
        }

        var kinds = transfer.Artifacts.Select(a => PayloadKinds.Of(a.Kind)).Distinct().ToList();
        if (kinds.Count > 1)
        {
            throw new PlanValidationException(plan.Name, transfer,
                $"step {index + 1} '{transfer.Describe()}' mixes payload kinds ({string.Join(", ", kinds)}); send them as separate transfers.");
        }
    }

    private static void Require(ProtocolPlan plan, PlanStep step, int index, NodeId node,
        Dictionary<NodeId, HashSet<Artifact>> holdings)
    {
        foreach (var input in step.Inputs(plan))
        {
            if (!holdings[node].Contains(input))
            {
                throw new PlanValidationException(plan.Name, step,
                    $"step {index + 1} '{step.Describe()}' needs the {input} on {node}, which is not there at that point.");
            }
        }
    }
}
