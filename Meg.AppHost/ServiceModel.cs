namespace Meg.AppHost;

/// <summary>The model the services load: Meg:Model (or MEG_MODEL), else the shipped models/meg-tiny, else the test fixture.</summary>
internal static class ServiceModel
{
    /// <summary>
    /// What the services are told. Run mode: the folder's full path on this machine. Publish mode: the path inside
    /// the services' publish output (see services/ShipModel.targets), because a deployed container has only that.
    /// </summary>
    public static string ForServices(IDistributedApplicationBuilder builder)
    {
        var folder = Resolve(builder);
        if (!builder.ExecutionContext.IsPublishMode)
        {
            return folder;
        }

        var models = Path.Combine(RepositoryLayout.Root, "models");
        var relative = Path.GetRelativePath(models, folder);
        if (relative.StartsWith("..", StringComparison.Ordinal) || Path.IsPathRooted(relative) || relative.Contains(Path.DirectorySeparatorChar))
        {
            throw new InvalidOperationException(
                $"Publish mode deploys a model from the repository's models/ folder (the services' publish output carries it); got {folder}. " +
                "Put the model in models/<name>/ and publish with -p:MegShippedModel=<name>.");
        }

        return $"models/{relative}";
    }

    public static string Resolve(IDistributedApplicationBuilder builder)
    {
        var root = RepositoryLayout.Root;
        var configured = builder.Configuration["Meg:Model"] ?? Environment.GetEnvironmentVariable("MEG_MODEL");
        if (!string.IsNullOrWhiteSpace(configured))
        {
            return Path.GetFullPath(Path.IsPathRooted(configured) ? configured : Path.Combine(root, configured));
        }

        var shipped = RepositoryLayout.ShippedModel;
        if (File.Exists(Path.Combine(shipped, "unet", "model.onnx")))
        {
            return shipped;
        }

        // Until the shipped model is trained, run on the untrained fixture so the system still starts (images are noise).
        var fixture = RepositoryLayout.TestFixture("fp32-sketch-conditioned");
        Console.Error.WriteLine($"models/meg-tiny has no trained model yet; using the untrained test fixture {fixture}. Set Meg:Model or MEG_MODEL to choose.");
        return fixture;
    }
}
