using Meg.Protocols.Plans;

namespace Meg.Execution.Scheduling;

/// <summary>
/// Which of a command's stages run at once. Consecutive encoders (text and VAE encoding) read only what the node held
/// before the command (the prompt, the input image), write different artifacts and use different models, so they run
/// side by side: on the UE of CIAG, or the first edge server of Centralized, the prompt and the sketch are encoded
/// together rather than one after the other. Every other stage waits for the ones before it.
/// </summary>
public static class StageWaves
{
    /// <summary>The stages' indices, in waves: every stage of a wave starts when the wave before has ended.</summary>
    public static IReadOnlyList<IReadOnlyList<int>> Of(IReadOnlyList<Stage> stages)
    {
        var waves = new List<List<int>>();
        for (var k = 0; k < stages.Count; k++)
        {
            if (IsEncoder(stages[k]) && waves.Count > 0 && waves[^1].All(i => IsEncoder(stages[i]) && stages[i].Kind != stages[k].Kind))
            {
                waves[^1].Add(k);
            }
            else
            {
                waves.Add([k]);
            }
        }

        return waves;
    }

    private static bool IsEncoder(Stage stage) => stage.Kind is StageKind.TextEncode or StageKind.VaeEncode;
}
