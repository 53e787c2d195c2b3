using System.Globalization;
using Meg.Protocols.Plans;

namespace Meg.Execution;

/// <summary>A stable text name for an <see cref="Artifact"/> ("Latent/0/8/0": kind/share/step/sketch side), used as
/// a storage key where artifacts live outside a process.</summary>
public static class ArtifactKey
{
    public static string Of(Artifact artifact) =>
        string.Create(CultureInfo.InvariantCulture, $"{artifact.Kind}/{artifact.Share}/{artifact.Step}/{artifact.SketchSide}");

    public static Artifact Parse(string key)
    {
        var parts = key.Split('/');
        if (parts.Length != 4 || !Enum.TryParse<ArtifactKind>(parts[0], out var kind) ||
            !int.TryParse(parts[1], CultureInfo.InvariantCulture, out var share) ||
            !int.TryParse(parts[2], CultureInfo.InvariantCulture, out var step) ||
            !int.TryParse(parts[3], CultureInfo.InvariantCulture, out var side))
        {
            throw new FormatException($"'{key}' is not an artifact key; expected kind/share/step/sketchSide, e.g. Latent/0/8/0.");
        }

        return new Artifact(kind, share, step, side);
    }
}
