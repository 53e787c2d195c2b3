namespace Meg.AppHost;

/// <summary>The model the services load: Meg:Model (or MEG_MODEL), else the shipped models/meg-tiny, else the test fixture.</summary>
internal static class ModelFolder
{
    public static string Resolve(IDistributedApplicationBuilder builder)
    {
        var root = Path.GetFullPath(Path.Combine(builder.AppHostDirectory, ".."));
        var configured = builder.Configuration["Meg:Model"] ?? Environment.GetEnvironmentVariable("MEG_MODEL");
        if (!string.IsNullOrWhiteSpace(configured))
        {
            return Path.GetFullPath(Path.IsPathRooted(configured) ? configured : Path.Combine(root, configured));
        }

        var shipped = Path.Combine(root, "models", "meg-tiny");
        if (File.Exists(Path.Combine(shipped, "unet", "model.onnx")))
        {
            return shipped;
        }

        // Until the shipped model is trained, run on the untrained fixture so the system still starts (images are noise).
        var fixture = Path.Combine(root, "models", "test-fixtures", "fp32-sketch-conditioned");
        Console.Error.WriteLine($"models/meg-tiny has no trained model yet; using the untrained test fixture {fixture}. Set Meg:Model or MEG_MODEL to choose.");
        return fixture;
    }
}
