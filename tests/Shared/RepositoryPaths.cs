namespace Meg.Tests;

/// <summary>Finds the repository root (the folder with Meg.sln) from a test's output folder; shared by the test projects.</summary>
internal static class RepositoryPaths
{
    public static string Root { get; } = FindRoot();

    public static string Fixture(string name) => Path.Combine(Root, "models", "test-fixtures", name);

    public static string ShippedModel => Path.Combine(Root, "models", "meg-tiny");

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Meg.sln")))
            {
                return dir.FullName;
            }
        }

        throw new DirectoryNotFoundException($"No Meg.sln above {AppContext.BaseDirectory}.");
    }
}
