namespace Meg.Cli;

/// <summary>Resolves the model folder: the --model option, else $MEG_MODEL, else the shipped models/meg-tiny.</summary>
internal static class ModelLocator
{
    public const string ShippedModel = "models/meg-tiny";

    public static string Resolve(string? option)
    {
        var chosen = option ?? Environment.GetEnvironmentVariable("MEG_MODEL");
        if (!string.IsNullOrWhiteSpace(chosen))
        {
            return Path.GetFullPath(chosen);
        }

        if (Directory.Exists(ShippedModel))
        {
            return Path.GetFullPath(ShippedModel);
        }

        // Run from elsewhere: the CLI lives inside the repository (.meg/cli), so look above it.
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, ShippedModel);
            if (Directory.Exists(candidate))
            {
                return candidate;
            }
        }

        return Path.GetFullPath(ShippedModel);
    }
}
