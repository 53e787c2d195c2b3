namespace Meg.Bench;

/// <summary>The model folder a benchmark loads: the first argument, else $MEG_MODEL, else models/meg-tiny above the working folder.</summary>
internal static class BenchModel
{
    public static string Resolve(string[] args)
    {
        if (args.Length > 0)
        {
            return args[0];
        }

        if (Environment.GetEnvironmentVariable("MEG_MODEL") is { Length: > 0 } fromEnvironment)
        {
            return fromEnvironment;
        }

        for (var dir = new DirectoryInfo(Directory.GetCurrentDirectory()); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "models", "meg-tiny");
            if (Directory.Exists(candidate))
            {
                return candidate;
            }
        }

        return Path.Combine("models", "meg-tiny");
    }
}
