namespace Meg;

/// <summary>
/// Where things are in a checkout: the repository root (the folder with Meg.sln), the shipped model and the test
/// fixtures. The one lookup for the CLI, the AppHost, the benchmarks and the tests (linked into each as source).
/// </summary>
internal static class RepositoryLayout
{
    public const string ShippedModelPath = "models/meg-tiny";

    private static readonly Lazy<string?> FoundRoot = new(FindRoot);

    /// <summary>The repository root above the current folder or the program's, or null when run outside a checkout.</summary>
    public static string? RootOrNull => FoundRoot.Value;

    public static string Root => FoundRoot.Value ?? throw new DirectoryNotFoundException(
        $"No Meg.sln above {Environment.CurrentDirectory} or {AppContext.BaseDirectory}; run this inside the MEG repository.");

    public static string ShippedModel => Path.Combine(Root, ShippedModelPath);

    public static string TestFixture(string name) => Path.Combine(Root, "models", "test-fixtures", name);

    /// <summary>The model folder to load: <paramref name="chosen"/> (an option), else $MEG_MODEL, else the shipped model.</summary>
    public static string LocateModel(string? chosen)
    {
        var named = string.IsNullOrWhiteSpace(chosen) ? Environment.GetEnvironmentVariable("MEG_MODEL") : chosen;
        if (!string.IsNullOrWhiteSpace(named))
        {
            return Path.GetFullPath(named);
        }

        return RootOrNull is { } root ? Path.Combine(root, ShippedModelPath) : Path.GetFullPath(ShippedModelPath);
    }

    private static string? FindRoot()
    {
        foreach (var start in new[] { Environment.CurrentDirectory, AppContext.BaseDirectory })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "Meg.sln")))
                {
                    return dir.FullName;
                }
            }
        }

        return null;
    }
}
