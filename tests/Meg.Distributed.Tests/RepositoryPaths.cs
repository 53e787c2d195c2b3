namespace Meg.Distributed.Tests;

/// <summary>Finds the repository root (the folder with Meg.sln) from the test's output folder.</summary>
internal static class RepositoryPaths
{
    public static string Root { get; } = FindRoot();

    public static string Fixture(string name) => Path.Combine(Root, "models", "test-fixtures", name);

    /// <summary>The untrained 32x32 sketch-conditioned export: exactness does not need a trained model.</summary>
    public static string TestModel => Fixture("fp32-sketch-conditioned");

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
